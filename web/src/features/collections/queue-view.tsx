import {
  Alert,
  Card,
  Col,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { getJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { sumYuan, yuanText } from '../../shared/format.js';
import { useI18n } from '../../shared/i18n.js';
import { navigate } from '../../shared/router.js';
import { useResource } from '../../shared/use-resource.js';
import type { CaseRow, Queue } from './collections-wire.js';

const STRATEGY_COLOR: Record<string, string> = {
  reminders_calls: 'gold',
  negotiation: 'orange',
  legal_review: 'red',
};

function Queues({
  queues,
  bucket,
  onBucket,
}: {
  queues: readonly Queue[];
  bucket: string | undefined;
  onBucket: (bucket: string | undefined) => void;
}) {
  const { t } = useI18n();
  return (
    <Row gutter={[12, 12]}>
      {queues.map((queue) => {
        const active = queue.bucket === bucket;
        return (
          <Col
            key={queue.bucket}
            xs={12}
            md={8}
            xl={Math.max(3, Math.floor(24 / queues.length))}
          >
            <Card
              size="small"
              hoverable
              role="button"
              tabIndex={0}
              aria-pressed={active}
              data-testid="queue-card"
              onClick={() => onBucket(active ? undefined : queue.bucket)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ')
                  onBucket(active ? undefined : queue.bucket);
              }}
              style={{ borderColor: active ? '#1677ff' : undefined }}
            >
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space
                  style={{ justifyContent: 'space-between', width: '100%' }}
                >
                  <Typography.Text strong>{queue.bucket}</Typography.Text>
                  <Tag color={STRATEGY_COLOR[queue.strategy] ?? 'default'}>
                    {queue.strategy_zh}
                  </Tag>
                </Space>
                <Statistic
                  value={queue.cases}
                  suffix={t('unit.cases')}
                  valueStyle={{ fontSize: 22 }}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('collections.overdueAmount')}{' '}
                  {yuanText(queue.total_overdue)}
                </Typography.Text>
              </Space>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

export function QueueView() {
  const { t } = useI18n();
  const [bucket, setBucket] = useState<string>();
  const queues = useResource(
    (signal) => getJson<{ queues: Queue[] }>('/collections/queues', { signal }),
    [],
  );
  const cases = useResource(
    (signal) =>
      getJson<{ cases: CaseRow[] }>(
        `/collections/cases${bucket === undefined ? '' : `?bucket=${encodeURIComponent(bucket)}`}`,
        { signal },
      ),
    [bucket],
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <AsyncView
        resource={queues}
        isEmpty={(data) => data.queues.length === 0}
        emptyText={t('collections.noQueues')}
      >
        {(data) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t('collections.summary', {
                cases: data.queues.reduce((n, q) => n + q.cases, 0),
                amount: yuanText(
                  sumYuan(data.queues.map((q) => q.total_overdue)),
                ),
              })}
            </Typography.Text>
            <Queues queues={data.queues} bucket={bucket} onBucket={setBucket} />
          </Space>
        )}
      </AsyncView>
      <Card
        size="small"
        title={
          bucket === undefined
            ? t('collections.allCases')
            : t('collections.bucketCases', { bucket })
        }
      >
        <AsyncView
          resource={cases}
          isEmpty={(data) => data.cases.length === 0}
          emptyText={t('collections.noCases')}
        >
          {(data) => (
            <>
              {data.cases[0] !== undefined && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 8 }}
                  message={t('collections.asOf', { date: data.cases[0].as_of })}
                />
              )}
              <Table
                size="small"
                rowKey="loan_no"
                dataSource={data.cases}
                pagination={{ pageSize: 15, showSizeChanger: false }}
                onRow={(row) => ({
                  onClick: () =>
                    navigate(
                      `/collections/cases/${encodeURIComponent(row.loan_no)}`,
                    ),
                  style: { cursor: 'pointer' },
                })}
                columns={[
                  {
                    title: t('c360.loan'),
                    dataIndex: 'loan_no',
                    render: (loanNo: string) => (
                      <a
                        href={`/collections/cases/${encodeURIComponent(loanNo)}`}
                        onClick={(event) => event.preventDefault()}
                      >
                        {loanNo}
                      </a>
                    ),
                  },
                  { title: t('c360.name'), dataIndex: 'customer_name' },
                  {
                    title: t('collections.bucket'),
                    dataIndex: 'bucket',
                    render: (b: string) => <Tag color="red">{b}</Tag>,
                  },
                  {
                    title: t('collections.dpd'),
                    dataIndex: 'days_past_due',
                    align: 'right',
                    sorter: (a, b) => a.days_past_due - b.days_past_due,
                    defaultSortOrder: 'descend',
                  },
                  {
                    title: t('collections.overdueAmount'),
                    dataIndex: 'total_overdue',
                    align: 'right',
                    render: yuanText,
                  },
                  {
                    title: t('collections.penalty'),
                    dataIndex: 'penalty',
                    align: 'right',
                    render: yuanText,
                  },
                  {
                    title: t('collections.principalLeft'),
                    dataIndex: 'outstanding_principal',
                    align: 'right',
                    render: yuanText,
                  },
                  {
                    title: t('collections.assignees'),
                    dataIndex: 'assignees',
                    render: (names: string[]) =>
                      names.length === 0 ? (
                        <Tag>{t('collections.unassigned')}</Tag>
                      ) : (
                        names.join('、')
                      ),
                  },
                ]}
              />
            </>
          )}
        </AsyncView>
      </Card>
    </Space>
  );
}
