import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../shared/i18n.js';

// Identity verification (身份验证): the bot needs two facts that match the
// record — the full name and the registered mobile, or the name and the
// last six characters of the ID number — before it discloses any account
// detail. The form only phrases them as a message to the bot; the server
// matches them and stores the message masked.

type Values = { name: string; phone?: string; idTail?: string };

export function VerifyForm({
  onSubmit,
  onCancel,
}: {
  onSubmit: (text: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [by, setBy] = useState<'phone' | 'id'>('phone');
  const submit = (values: Values) => {
    const name = values.name.trim();
    onSubmit(
      by === 'phone'
        ? `我叫${name}，手机号${(values.phone ?? '').trim()}`
        : `我叫${name}，身份证后六位${(values.idTail ?? '').trim().toUpperCase()}`,
    );
  };
  return (
    <Card
      size="small"
      style={{ margin: '0 12px 8px' }}
      title={
        <Space>
          <SafetyCertificateOutlined style={{ color: '#1677ff' }} />
          {t('chat.verifyTitle')}
        </Space>
      }
      extra={
        <Button type="link" size="small" onClick={onCancel}>
          {t('chat.verifyLater')}
        </Button>
      }
    >
      <Typography.Paragraph
        type="secondary"
        style={{ fontSize: 12, marginBottom: 8 }}
      >
        {t('chat.verifyHint')}
      </Typography.Paragraph>
      <Segmented
        size="small"
        value={by}
        onChange={setBy}
        options={[
          { value: 'phone', label: t('chat.verifyByPhone') },
          { value: 'id', label: t('chat.verifyById') },
        ]}
        style={{ marginBottom: 8 }}
      />
      <Form<Values> layout="inline" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="name"
          rules={[{ required: true, message: t('chat.nameRequired') }]}
        >
          <Input
            placeholder={t('chat.name')}
            aria-label={t('chat.name')}
            style={{ width: 110 }}
          />
        </Form.Item>
        {by === 'phone' ? (
          <Form.Item
            name="phone"
            rules={[
              {
                required: true,
                pattern: /^1\d{10}$/,
                message: t('chat.phoneInvalid'),
              },
            ]}
          >
            <Input
              placeholder={t('chat.phone')}
              aria-label={t('chat.phone')}
              inputMode="numeric"
              style={{ width: 150 }}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="idTail"
            rules={[
              {
                required: true,
                pattern: /^\d{5}[\dXx]$/,
                message: t('chat.idTailInvalid'),
              },
            ]}
          >
            <Input
              placeholder={t('chat.idTail')}
              aria-label={t('chat.idTail')}
              style={{ width: 150 }}
            />
          </Form.Item>
        )}
        <Form.Item>
          <Button type="primary" htmlType="submit" size="small">
            {t('chat.verifySubmit')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
