import {
  Alert,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Space,
  Tag,
} from 'antd';
import { useState } from 'react';
import { errorText, getJson, postJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import type { Complaint } from './complaints-wire.js';
import { Countdown } from './countdown.js';

// One ticket: its facts and deadline, an extension (once, with a reason the
// customer is told) and the resolution, which the compliance engine checks
// before the customer is notified.

export function ComplaintDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string | undefined;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const resource = useResource(
    async (signal) =>
      id === undefined
        ? undefined
        : getJson<{ ticket: Complaint }>(
            `/complaints/${encodeURIComponent(id)}`,
            { signal },
          ),
    [id],
  );
  const act = async (action: 'resolve' | 'extend', body: object) => {
    if (id === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await postJson(`/complaints/${encodeURIComponent(id)}/${action}`, body);
      resource.reload();
      onChanged();
    } catch (caught) {
      setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      width={560}
      title={t('complaint.detail')}
    >
      <AsyncView resource={resource}>
        {(data) => {
          const ticket = data?.ticket;
          if (ticket === undefined) return null;
          const open =
            ticket.status !== 'resolved' && ticket.status !== 'closed';
          return (
            <Space direction="vertical" style={{ width: '100%' }} size="middle">
              <Descriptions size="small" column={1} bordered>
                <Descriptions.Item label={t('complaint.no')}>
                  {ticket.ticket_no}
                </Descriptions.Item>
                <Descriptions.Item label={t('complaint.type')}>
                  {ticket.category_zh ?? ticket.category ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('c360.summary')}>
                  {ticket.summary}
                </Descriptions.Item>
                <Descriptions.Item label={t('complaint.decisionDate')}>
                  <Space>
                    {ticket.decision_date}
                    {open && <Countdown dueAt={ticket.due_at} />}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('complaint.escalation')}>
                  {ticket.escalation_level > 0 ? (
                    <Tag color="volcano">
                      {t('complaint.level', { level: ticket.escalation_level })}
                    </Tag>
                  ) : (
                    '—'
                  )}
                </Descriptions.Item>
                {ticket.extension_days > 0 && (
                  <Descriptions.Item label={t('complaint.extended')}>
                    {t('complaint.extendedBy', { days: ticket.extension_days })}
                    ：{ticket.extension_reason}
                  </Descriptions.Item>
                )}
                {ticket.resolution !== null && (
                  <Descriptions.Item label={t('complaint.resolution')}>
                    {ticket.resolution}
                  </Descriptions.Item>
                )}
              </Descriptions>
              {error !== undefined && (
                <Alert type="error" showIcon message={error} />
              )}
              {open && (
                <Form
                  layout="vertical"
                  onFinish={(v: { resolution: string }) =>
                    void act('resolve', { resolution: v.resolution.trim() })
                  }
                >
                  <Form.Item
                    name="resolution"
                    label={t('complaint.resolution')}
                    rules={[
                      {
                        required: true,
                        min: 2,
                        message: t('complaint.resolutionRequired'),
                      },
                    ]}
                  >
                    <Input.TextArea autoSize={{ minRows: 3 }} maxLength={500} />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy}>
                    {t('complaint.resolve')}
                  </Button>
                </Form>
              )}
              {open && ticket.extension_days === 0 && (
                <Form
                  layout="inline"
                  onFinish={(v: { days: number; reason: string }) =>
                    void act('extend', {
                      days: v.days,
                      reason: v.reason.trim(),
                    })
                  }
                >
                  <Form.Item name="days" rules={[{ required: true }]}>
                    <InputNumber
                      min={1}
                      max={120}
                      placeholder={t('complaint.days')}
                      aria-label={t('complaint.days')}
                    />
                  </Form.Item>
                  <Form.Item
                    name="reason"
                    rules={[{ required: true, min: 2 }]}
                    style={{ flex: 1 }}
                  >
                    <Input
                      placeholder={t('complaint.extendReason')}
                      maxLength={200}
                    />
                  </Form.Item>
                  <Button htmlType="submit" loading={busy}>
                    {t('complaint.extend')}
                  </Button>
                </Form>
              )}
            </Space>
          );
        }}
      </AsyncView>
    </Drawer>
  );
}
