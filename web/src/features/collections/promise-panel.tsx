import {
  Alert,
  Badge,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Table,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorText, getJson, postJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { yuanText } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import type { PromiseRow } from './collections-wire.js';

// Promises to pay (承诺还款): amount and date; kept when payments cover it
// by the date, broken when the end-of-day batch finds they did not.

type Values = { amount: string; promised_on: Dayjs };

export function PromisePanel({ loanNo }: { loanNo: string }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const path = `/collections/cases/${encodeURIComponent(loanNo)}/promises`;
  const promises = useResource(
    (signal) => getJson<{ promises: PromiseRow[] }>(path, { signal }),
    [path],
  );
  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await postJson(path, {
        amount: values.amount.trim(),
        promised_on: values.promised_on.format('YYYY-MM-DD'),
      });
      form.resetFields();
      promises.reload();
    } catch (caught) {
      setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('c360.promises')}>
      <Form<Values> form={form} layout="inline" onFinish={submit}>
        <Form.Item
          name="amount"
          label={t('c360.amount')}
          rules={[
            {
              required: true,
              pattern: /^\d+(\.\d{1,2})?$/,
              message: t('promise.amountInvalid'),
            },
          ]}
        >
          <Input
            style={{ width: 130 }}
            suffix={t('unit.yuan')}
            aria-label={t('c360.amount')}
          />
        </Form.Item>
        <Form.Item
          name="promised_on"
          label={t('c360.promisedOn')}
          rules={[{ required: true, message: t('promise.dateRequired') }]}
        >
          <DatePicker aria-label={t('c360.promisedOn')} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('promise.record')}
          </Button>
        </Form.Item>
      </Form>
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
          resource={promises}
          isEmpty={(d) => d.promises.length === 0}
          emptyText={t('promise.none')}
        >
          {(data) => (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.promises}
              columns={[
                { title: t('c360.promisedOn'), dataIndex: 'promised_on' },
                {
                  title: t('c360.amount'),
                  dataIndex: 'amount',
                  align: 'right',
                  render: yuanText,
                },
                {
                  title: t('c360.status'),
                  dataIndex: 'status',
                  render: (status: string) => (
                    <Badge
                      status={
                        status === 'kept'
                          ? 'success'
                          : status === 'broken'
                            ? 'error'
                            : 'processing'
                      }
                      text={t(`promise.${status}` as 'promise.pending')}
                    />
                  ),
                },
              ]}
            />
          )}
        </AsyncView>
      </div>
    </Card>
  );
}
