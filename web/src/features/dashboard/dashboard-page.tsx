import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { DashboardOutput } from '../../../../src/contracts/dashboard.js';
import { getJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { Chart } from '../../shared/chart.js';
import { percentOfRatio, sumYuan, yuanText } from '../../shared/format.js';
import { type Translate, useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import {
  bucketAmountOption,
  conversationsOption,
  countBarOption,
  reasonsPieOption,
  rollRateOption,
} from './dashboard-charts.js';

// 主管看板: every panel reads one part of GET /api/v1/dashboard; each has its
// own empty state, because a young book has no overdue loans yet.

function Panel({
  title,
  empty,
  children,
}: {
  title: string;
  empty: boolean;
  children: React.ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Card title={title} size="small" style={{ height: '100%' }}>
      {empty ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('state.noData')}
          style={{ height: 260, paddingTop: 60 }}
        />
      ) : (
        children
      )}
    </Card>
  );
}

function handoffReasonText(t: Translate, reason: string): string {
  const known: Record<string, Parameters<Translate>[0]> = {
    customer_request: 'handoff.customer_request',
    low_confidence: 'handoff.low_confidence',
    complaint: 'handoff.complaint',
    anger: 'handoff.anger',
    fraud: 'handoff.fraud',
  };
  const key = known[reason];
  return key === undefined ? reason : t(key);
}

function Overview({ data }: { data: DashboardOutput }) {
  const { t } = useI18n();
  const conversations = data.containment.conversations;
  const overdueLoans = data.overdue_by_bucket.buckets.reduce(
    (sum, b) => sum + b.loans,
    0,
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic
            title={t('dashboard.conversations', { days: data.days })}
            value={conversations}
          />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic
            title={t('dashboard.containment')}
            value={percentOfRatio(data.containment.rate)}
          />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic title={t('dashboard.overdueLoans')} value={overdueLoans} />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card size="small">
          <Statistic
            title={t('dashboard.promiseKept')}
            value={percentOfRatio(data.promises.kept_rate)}
          />
        </Card>
      </Col>
    </Row>
  );
}

function Charts({ data }: { data: DashboardOutput }) {
  const { t } = useI18n();
  const reasons = data.handoff_reasons.map((r) => ({
    name: handoffReasonText(t, r.reason),
    value: r.count,
  }));
  const overdue = data.overdue_by_bucket;
  const hasOverdue = overdue.buckets.some((b) => b.loans > 0);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Panel
          title={t('dashboard.perDay')}
          empty={data.containment.conversations === 0}
        >
          <Chart
            testId="chart-conversations"
            ariaLabel={t('dashboard.perDay')}
            option={conversationsOption(t, data.conversations_per_day)}
          />
        </Panel>
      </Col>
      <Col xs={24} xl={12}>
        <Panel
          title={t('dashboard.handoffReasons')}
          empty={reasons.length === 0}
        >
          <Chart
            testId="chart-handoff"
            ariaLabel={t('dashboard.handoffReasons')}
            option={reasonsPieOption(reasons)}
          />
        </Panel>
      </Col>
      <Col xs={24} xl={12}>
        <Panel
          title={t('dashboard.complianceBlocks')}
          empty={data.compliance_blocks.length === 0}
        >
          <Chart
            testId="chart-compliance"
            ariaLabel={t('dashboard.complianceBlocks')}
            option={countBarOption(
              data.compliance_blocks.map((b) => ({
                name: b.category,
                value: b.count,
              })),
              '#ff4d4f',
            )}
          />
        </Panel>
      </Col>
      <Col xs={24} xl={12}>
        <Panel
          title={
            overdue.source === 'eod'
              ? t('dashboard.overdueByBucketEod', { date: overdue.as_of ?? '' })
              : t('dashboard.overdueByBucketLedger')
          }
          empty={!hasOverdue}
        >
          <Chart
            testId="chart-overdue"
            ariaLabel={t('dashboard.overdueByBucket')}
            option={bucketAmountOption(t, overdue.buckets)}
          />
        </Panel>
      </Col>
      <Col xs={24} xl={12}>
        <Panel
          title={t('dashboard.rollRates', {
            from: data.roll_rates.from_date,
            to: data.roll_rates.to_date,
          })}
          empty={data.roll_rates.rates.every((r) => r.loans === 0)}
        >
          <Chart
            testId="chart-roll"
            ariaLabel={t('dashboard.rollRatesShort')}
            option={rollRateOption(t, data.roll_rates.rates)}
          />
        </Panel>
      </Col>
      <Col xs={24} xl={12}>
        <ComplaintDeadlines data={data} />
      </Col>
    </Row>
  );
}

function ComplaintDeadlines({ data }: { data: DashboardOutput }) {
  const { t } = useI18n();
  const c = data.complaints;
  return (
    <Card
      title={t('dashboard.complaintDeadlines')}
      size="small"
      style={{ height: '100%' }}
    >
      <Space size="large" style={{ marginBottom: 12 }}>
        <Statistic title={t('dashboard.complaintsOpen')} value={c.open} />
        <Statistic
          title={t('dashboard.complaintsOverdue')}
          value={c.overdue}
          valueStyle={{ color: c.overdue > 0 ? '#cf1322' : undefined }}
        />
        <Statistic
          title={t('dashboard.complaintsSoon')}
          value={c.due_within_72h}
          valueStyle={{ color: c.due_within_72h > 0 ? '#d46b08' : undefined }}
        />
      </Space>
      <Table
        size="small"
        rowKey="ticket_no"
        pagination={false}
        dataSource={c.upcoming}
        locale={{ emptyText: t('state.noData') }}
        columns={[
          { title: t('complaint.no'), dataIndex: 'ticket_no' },
          { title: t('complaint.type'), dataIndex: 'ticket_type' },
          {
            title: t('complaint.timeLeft'),
            dataIndex: 'hours_left',
            align: 'right',
            render: (hours: number) =>
              hours < 0 ? (
                <Tag color="red">
                  {t('complaint.overdueBy', { hours: -hours })}
                </Tag>
              ) : (
                <Tag color={hours < 72 ? 'orange' : 'green'}>
                  {t('complaint.hoursLeft', { hours })}
                </Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useI18n();
  const [days, setDays] = useState(14);
  const resource = useResource(
    (signal) => getJson<DashboardOutput>(`/dashboard?days=${days}`, { signal }),
    [days],
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">
          {resource.data === undefined
            ? t('dashboard.subtitle')
            : t('dashboard.asOf', { date: resource.data.as_of })}
        </Typography.Text>
        <Space>
          <Segmented<number>
            value={days}
            onChange={setDays}
            options={[7, 14, 30].map((n) => ({
              value: n,
              label: t('dashboard.lastDays', { days: n }),
            }))}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={resource.reload}
            aria-label={t('action.refresh')}
          />
        </Space>
      </Space>
      <AsyncView resource={resource} rows={10}>
        {(data) => (
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Overview data={data} />
            {data.overdue_by_bucket.source === 'ledger' && (
              <Alert
                type="info"
                showIcon
                message={t('dashboard.ledgerNotice')}
              />
            )}
            <Charts data={data} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('dashboard.amountNote', {
                total: yuanText(
                  sumYuan(data.overdue_by_bucket.buckets.map((b) => b.amount)),
                ),
              })}
            </Typography.Text>
          </Space>
        )}
      </AsyncView>
    </Space>
  );
}
