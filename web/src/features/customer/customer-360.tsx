import { WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Badge,
  Card,
  Collapse,
  Descriptions,
  Empty,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type {
  CustomerOverview,
  OverviewLoan,
} from '../../../../src/contracts/customer-overview.js';
import { getJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { percentText, yuanText } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import { methodLabel, statusTag } from './labels.js';

// 客户 360: everything an agent or collector needs beside a conversation or
// a case, from GET /customers/:id/overview. Identity is masked; nothing here
// can unmask it.

function Schedule({ loan }: { loan: OverviewLoan }) {
  const { t } = useI18n();
  return (
    <Table
      size="small"
      rowKey="n"
      dataSource={loan.installments}
      pagination={{ pageSize: 6, size: 'small', showSizeChanger: false }}
      rowClassName={(row) =>
        row.outstanding !== '0.00' &&
        row.due_date < (loan.next_due?.due_date ?? '9999')
          ? 'loandesk-row-overdue'
          : ''
      }
      columns={[
        { title: t('schedule.n'), dataIndex: 'n', width: 48 },
        { title: t('schedule.dueDate'), dataIndex: 'due_date' },
        {
          title: t('schedule.payment'),
          dataIndex: 'payment',
          align: 'right',
          render: yuanText,
        },
        {
          title: t('schedule.paid'),
          dataIndex: 'paid',
          align: 'right',
          render: yuanText,
        },
        {
          title: t('schedule.outstanding'),
          dataIndex: 'outstanding',
          align: 'right',
          render: (value: string) =>
            value === '0.00' ? (
              <Typography.Text type="secondary">0.00</Typography.Text>
            ) : (
              <Typography.Text strong>{yuanText(value)}</Typography.Text>
            ),
        },
      ]}
    />
  );
}

function LoanCard({ loan }: { loan: OverviewLoan }) {
  const { t } = useI18n();
  const overdue = loan.overdue.days_past_due > 0;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="small">
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('loan.principal')}>
          {yuanText(loan.principal)}
        </Descriptions.Item>
        <Descriptions.Item label={t('loan.rate')}>
          {percentText(loan.rate_annual)}
        </Descriptions.Item>
        <Descriptions.Item label={t('loan.method')}>
          {methodLabel(t, loan.method)} · {loan.term_months}
          {t('unit.months')}
        </Descriptions.Item>
        <Descriptions.Item label={t('loan.outstanding')}>
          {yuanText(loan.outstanding)}
        </Descriptions.Item>
        <Descriptions.Item label={t('loan.nextDue')}>
          {loan.next_due === null
            ? '—'
            : `${loan.next_due.due_date} · ${yuanText(loan.next_due.amount)}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('loan.overdue')}>
          {overdue ? (
            <Typography.Text type="danger" data-testid="overdue-state">
              {t('loan.overdueState', {
                days: loan.overdue.days_past_due,
                bucket: loan.overdue.bucket,
                amount: yuanText(loan.overdue.amount),
              })}
            </Typography.Text>
          ) : (
            <Tag color="green">{t('loan.current')}</Tag>
          )}
        </Descriptions.Item>
      </Descriptions>
      {loan.early_warning !== null && (
        <Alert
          type={loan.early_warning.score >= 600 ? 'warning' : 'info'}
          showIcon
          message={t('loan.earlyWarning', { score: loan.early_warning.score })}
          description={loan.early_warning.reasons.join('；')}
        />
      )}
      <Schedule loan={loan} />
    </Space>
  );
}

function Loans({ data }: { data: CustomerOverview }) {
  const { t } = useI18n();
  if (data.loans.length === 0)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={t('c360.noLoans')}
      />
    );
  return (
    <Collapse
      size="small"
      defaultActiveKey={data.loans
        .filter((loan) => loan.overdue.days_past_due > 0)
        .map((loan) => loan.loan_no)
        .slice(0, 1)}
      items={data.loans.map((loan) => ({
        key: loan.loan_no,
        label: (
          <Space>
            <Typography.Text strong>{loan.loan_no}</Typography.Text>
            {statusTag(t, loan.status)}
            {loan.overdue.days_past_due > 0 && (
              <Tag color="red">{loan.overdue.bucket}</Tag>
            )}
          </Space>
        ),
        children: <LoanCard loan={loan} />,
      }))}
    />
  );
}

function Identity({ data }: { data: CustomerOverview }) {
  const { t } = useI18n();
  const c = data.customer;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions
        size="small"
        column={1}
        bordered
        data-testid="customer-identity"
      >
        <Descriptions.Item label={t('c360.name')}>{c.name}</Descriptions.Item>
        <Descriptions.Item label={t('c360.idNumber')}>
          {c.id_number}
        </Descriptions.Item>
        <Descriptions.Item label={t('c360.phone')}>{c.phone}</Descriptions.Item>
        <Descriptions.Item label={t('c360.income')}>
          {c.monthly_income === null ? '—' : yuanText(c.monthly_income)}
        </Descriptions.Item>
        <Descriptions.Item label={t('c360.emergency')}>
          {data.emergency_contacts.length === 0
            ? '—'
            : data.emergency_contacts
                .map(
                  (e) =>
                    `${e.name}（${t(`relation.${e.relation}` as 'relation.other')}）${e.phone}`,
                )
                .join('；')}
        </Descriptions.Item>
      </Descriptions>
      {data.flags.length > 0 && (
        <Card
          size="small"
          title={
            <>
              <WarningOutlined style={{ color: '#cf1322' }} /> {t('c360.flags')}
            </>
          }
        >
          <Space wrap>
            {data.flags.map((flag) => (
              <Tag
                key={`${flag.conversation_id}-${flag.kind}-${flag.signal}-${flag.at}`}
                color={flag.kind === 'fraud' ? 'red' : 'orange'}
              >
                {flag.kind === 'fraud' ? t('c360.fraud') : t('c360.risk')}：
                {flag.signal}
              </Tag>
            ))}
          </Space>
        </Card>
      )}
    </Space>
  );
}

function Records({ data }: { data: CustomerOverview }) {
  const { t } = useI18n();
  const empty = { emptyText: t('state.noData') };
  return (
    <Tabs
      size="small"
      items={[
        {
          key: 'payments',
          label: t('c360.payments'),
          children: (
            <Table
              size="small"
              rowKey="id"
              locale={empty}
              dataSource={data.payments}
              pagination={{ pageSize: 5, size: 'small' }}
              columns={[
                { title: t('c360.date'), dataIndex: 'paid_on' },
                { title: t('c360.loan'), dataIndex: 'loan_no' },
                {
                  title: t('c360.amount'),
                  dataIndex: 'amount',
                  align: 'right',
                  render: yuanText,
                },
                {
                  title: t('c360.kind'),
                  dataIndex: 'kind',
                  render: (kind: string) =>
                    kind === 'reversal' ? (
                      <Tag color="red">{t('c360.reversal')}</Tag>
                    ) : (
                      t('c360.repayment')
                    ),
                },
              ]}
            />
          ),
        },
        {
          key: 'promises',
          label: t('c360.promises'),
          children: (
            <Table
              size="small"
              rowKey="id"
              locale={empty}
              dataSource={data.promises}
              pagination={false}
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
          ),
        },
        {
          key: 'contacts',
          label: t('c360.contacts'),
          children: (
            <Table
              size="small"
              rowKey="id"
              locale={empty}
              dataSource={data.contacts}
              pagination={{ pageSize: 5, size: 'small' }}
              columns={[
                {
                  title: t('c360.time'),
                  dataIndex: 'contacted_at',
                  render: (v: string) => v.replace('T', ' ').slice(0, 16),
                },
                { title: t('c360.channel'), dataIndex: 'channel' },
                { title: t('c360.target'), dataIndex: 'target' },
                { title: t('c360.outcome'), dataIndex: 'outcome' },
              ]}
            />
          ),
        },
        {
          key: 'tickets',
          label: t('c360.tickets'),
          children: (
            <Table
              size="small"
              rowKey="ticket_no"
              locale={empty}
              dataSource={data.tickets}
              pagination={false}
              columns={[
                { title: t('complaint.no'), dataIndex: 'ticket_no' },
                { title: t('c360.summary'), dataIndex: 'summary' },
                { title: t('c360.status'), dataIndex: 'status' },
                {
                  title: t('c360.dueAt'),
                  dataIndex: 'due_at',
                  render: (v: string) => v.slice(0, 10),
                },
              ]}
            />
          ),
        },
      ]}
    />
  );
}

export function Customer360({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const resource = useResource(
    (signal) =>
      getJson<CustomerOverview>(
        `/customers/${encodeURIComponent(customerId)}/overview`,
        {
          signal,
        },
      ),
    [customerId],
  );
  return (
    <AsyncView resource={resource} rows={8}>
      {(data) => (
        <Space
          direction="vertical"
          style={{ width: '100%' }}
          data-testid="customer-360"
        >
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('c360.maskedNote', { date: data.as_of })}
          </Typography.Text>
          <Identity data={data} />
          <Loans data={data} />
          <Records data={data} />
        </Space>
      )}
    </AsyncView>
  );
}
