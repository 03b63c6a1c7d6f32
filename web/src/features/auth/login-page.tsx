import { LockOutlined, UserOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Segmented,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { errorText } from '../../shared/api.js';
import { useI18n } from '../../shared/i18n.js';
import { type Role, useSession } from '../../shared/session.js';
import { LocaleSwitch } from '../layout/locale-switch.js';

// 按角色登录: the role picker fills the demo user of that role (one user per
// role in the demo book); any user can still type their own name.

const ROLE_USERS: readonly Role[] = [
  'agent',
  'collector',
  'negotiator',
  'supervisor',
  'admin',
];

type Values = { username: string; password: string };

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await login(values.username.trim(), values.password);
    } catch (caught) {
      setError(errorText(caught, t('login.failed')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #e6f4ff 0%, #f5f5f5 60%)',
      }}
    >
      <Card style={{ width: 420 }}>
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.title')}
            </Typography.Title>
            <LocaleSwitch />
          </Space>
          <Typography.Text type="secondary">
            {t('login.subtitle')}
          </Typography.Text>
          <Segmented
            block
            aria-label={t('login.role')}
            options={ROLE_USERS.map((role) => ({
              value: role,
              label: t(`role.${role}`),
            }))}
            onChange={(role) => form.setFieldsValue({ username: role })}
          />
          <Form<Values>
            form={form}
            layout="vertical"
            onFinish={submit}
            requiredMark={false}
          >
            <Form.Item
              label={t('login.username')}
              name="username"
              rules={[{ required: true, message: t('login.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                aria-label={t('login.username')}
                autoFocus
              />
            </Form.Item>
            <Form.Item
              label={t('login.password')}
              name="password"
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                aria-label={t('login.password')}
              />
            </Form.Item>
            {error !== undefined && (
              <Alert
                type="error"
                showIcon
                message={error}
                style={{ marginBottom: 16 }}
              />
            )}
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('login.submit')}
            </Button>
          </Form>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('login.notice')}
          </Typography.Text>
        </Space>
      </Card>
    </div>
  );
}
