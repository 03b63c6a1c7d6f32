import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Select,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { CustomerOverview } from '../../../../src/contracts/customer-overview.js';
import {
  ApiRequestError,
  errorText,
  getJson,
  postJson,
} from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import type { ContactRow } from './collections-wire.js';

// Contact logging (联系记录). The server runs the contact policy first
// (hours, daily caps, third-party rules): a refused contact is not logged
// and the rule with its reason is shown here, not merely advised.

type Values = {
  channel: string;
  recipient: string;
  outcome: string;
  result_code?: string;
  emergency_contact_id?: string;
  note?: string;
  /** When the contact happened; empty means now. */
  at?: Dayjs | null;
};

const CHANNELS = ['call', 'sms', 'app', 'email', 'visit'] as const;
const RECIPIENTS = ['debtor', 'guarantor', 'emergency_contact'] as const;
const OUTCOMES = [
  'connected',
  'no_answer',
  'refused',
  'wrong_number',
  'sent',
] as const;

export function ContactPanel({
  loanNo,
  emergencyContacts,
}: {
  loanNo: string;
  emergencyContacts: CustomerOverview['emergency_contacts'];
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const recipient = Form.useWatch('recipient', form);
  const [refusal, setRefusal] = useState<{ rule: string; message: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const path = `/collections/cases/${encodeURIComponent(loanNo)}/contacts`;
  const contacts = useResource(
    (signal) => getJson<{ contacts: ContactRow[] }>(path, { signal }),
    [path],
  );
  const codes = useResource(
    (signal) =>
      getJson<{ code: string; zh: string }[]>('/collections/result-codes', {
        signal,
      }),
    [],
  );
  const submit = async (values: Values) => {
    setBusy(true);
    setRefusal(undefined);
    setError(undefined);
    try {
      const { at, ...rest } = values;
      // The debtor's clock: China time with its offset, as the policy reads it.
      await postJson(
        path,
        at === undefined || at === null
          ? rest
          : { ...rest, at: at.format('YYYY-MM-DD[T]HH:mm:00[+08:00]') },
      );
      form.resetFields(['note', 'result_code']);
      contacts.reload();
    } catch (caught) {
      if (caught instanceof ApiRequestError && caught.status === 422)
        setRefusal({
          rule: String(caught.error.rule ?? ''),
          message: caught.error.message,
        });
      else setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('contact.title')}>
      <Form<Values>
        form={form}
        layout="inline"
        initialValues={{
          channel: 'call',
          recipient: 'debtor',
          outcome: 'connected',
        }}
        onFinish={submit}
        style={{ rowGap: 8 }}
      >
        <Form.Item name="channel" label={t('contact.channel')}>
          <Select
            style={{ width: 100 }}
            aria-label={t('contact.channel')}
            options={CHANNELS.map((c) => ({
              value: c,
              label: t(`contact.channel.${c}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="recipient" label={t('contact.recipient')}>
          <Select
            style={{ width: 120 }}
            aria-label={t('contact.recipient')}
            options={RECIPIENTS.map((r) => ({
              value: r,
              label: t(`contact.recipient.${r}`),
            }))}
          />
        </Form.Item>
        {recipient === 'emergency_contact' && (
          <Form.Item
            name="emergency_contact_id"
            rules={[{ required: true, message: t('contact.pickEmergency') }]}
          >
            <Select
              style={{ width: 180 }}
              placeholder={t('contact.pickEmergency')}
              options={emergencyContacts.map((c) => ({
                value: c.id,
                label: `${c.name} ${c.phone}`,
              }))}
            />
          </Form.Item>
        )}
        <Form.Item name="outcome" label={t('contact.outcome')}>
          <Select
            style={{ width: 110 }}
            aria-label={t('contact.outcome')}
            options={OUTCOMES.map((o) => ({
              value: o,
              label: t(`contact.outcome.${o}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="result_code" label={t('contact.result')}>
          <Select
            allowClear
            style={{ width: 160 }}
            aria-label={t('contact.result')}
            options={(codes.data ?? []).map((c) => ({
              value: c.code,
              label: c.zh,
            }))}
          />
        </Form.Item>
        <Form.Item name="at" label={t('contact.at')}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            placeholder={t('contact.now')}
            aria-label={t('contact.at')}
          />
        </Form.Item>
        <Form.Item name="note" style={{ flex: 1, minWidth: 200 }}>
          <Input
            placeholder={t('contact.note')}
            maxLength={500}
            aria-label={t('contact.note')}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('contact.log')}
          </Button>
        </Form.Item>
      </Form>
      {refusal !== undefined && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          data-testid="contact-refused"
          message={t('contact.refused', { rule: refusal.rule })}
          description={refusal.message}
        />
      )}
      {error !== undefined && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          message={error}
        />
      )}
      <div style={{ marginTop: 12 }}>
        <AsyncView
          resource={contacts}
          isEmpty={(d) => d.contacts.length === 0}
          emptyText={t('contact.none')}
        >
          {(data) => (
            <Table
              size="small"
              rowKey="id"
              dataSource={data.contacts}
              pagination={{ pageSize: 5, size: 'small' }}
              columns={[
                {
                  title: t('c360.time'),
                  dataIndex: 'contacted_at',
                  render: (v: string) => v.replace('T', ' ').slice(0, 16),
                },
                { title: t('contact.channel'), dataIndex: 'channel' },
                { title: t('contact.recipient'), dataIndex: 'recipient' },
                {
                  title: t('contact.outcome'),
                  dataIndex: 'outcome',
                  render: (o: string) => <Tag>{o}</Tag>,
                },
                {
                  title: t('contact.result'),
                  dataIndex: 'result_zh',
                  render: (v: string | null) => v ?? '—',
                },
                { title: t('contact.note'), dataIndex: 'note', ellipsis: true },
              ]}
            />
          )}
        </AsyncView>
      </div>
    </Card>
  );
}
