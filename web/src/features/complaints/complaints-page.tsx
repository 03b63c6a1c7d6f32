import { Badge, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { getJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { type MessageKey, useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import { ComplaintDrawer } from './complaint-drawer.js';
import type { Complaint } from './complaints-wire.js';
import { Countdown } from './countdown.js';

// 投诉工单: tickets by handling deadline with a live countdown; a ticket
// opens with its notices, and can be extended once or resolved.

const STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;
type Status = (typeof STATUSES)[number];
const STATUS_KEYS: Record<Status, MessageKey> = {
  open: 'complaint.status.open',
  in_progress: 'complaint.status.in_progress',
  resolved: 'complaint.status.resolved',
  closed: 'complaint.status.closed',
};

export function ComplaintsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status>('open');
  const [selected, setSelected] = useState<string>();
  const resource = useResource(
    (signal) =>
      getJson<Complaint[]>(`/complaints?status=${status}`, { signal }),
    [status],
  );
  const done = status === 'resolved' || status === 'closed';
  return (
    <Card
      size="small"
      title={t('menu.complaints')}
      extra={
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          options={STATUSES.map((s) => ({
            value: s,
            label: t(STATUS_KEYS[s]),
          }))}
        />
      }
    >
      <AsyncView
        resource={resource}
        isEmpty={(data) => data.length === 0}
        emptyText={t('complaint.none')}
      >
        {(data) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t('complaint.rule')}
            </Typography.Text>
            <Table
              size="small"
              rowKey="id"
              dataSource={data}
              pagination={{ pageSize: 15, showSizeChanger: false }}
              onRow={(row) => ({
                onClick: () => setSelected(row.id),
                style: { cursor: 'pointer' },
              })}
              columns={[
                { title: t('complaint.no'), dataIndex: 'ticket_no' },
                {
                  title: t('complaint.type'),
                  dataIndex: 'category_zh',
                  render: (zh: string | null, row) => zh ?? row.category ?? '—',
                },
                {
                  title: t('c360.summary'),
                  dataIndex: 'summary',
                  ellipsis: true,
                },
                {
                  title: t('c360.status'),
                  dataIndex: 'status',
                  render: (s: Status) => (
                    <Badge
                      status={
                        s === 'open'
                          ? 'processing'
                          : s === 'in_progress'
                            ? 'warning'
                            : 'success'
                      }
                      text={t(STATUS_KEYS[s] ?? 'complaint.status.open')}
                    />
                  ),
                },
                {
                  title: t('complaint.escalation'),
                  dataIndex: 'escalation_level',
                  render: (level: number) =>
                    level > 0 ? (
                      <Tag color="volcano">
                        {t('complaint.level', { level })}
                      </Tag>
                    ) : (
                      '—'
                    ),
                },
                {
                  title: t('complaint.decisionDate'),
                  dataIndex: 'decision_date',
                },
                {
                  title: t('complaint.timeLeft'),
                  dataIndex: 'due_at',
                  render: (dueAt: string) =>
                    done ? '—' : <Countdown dueAt={dueAt} />,
                },
              ]}
            />
          </Space>
        )}
      </AsyncView>
      <ComplaintDrawer
        id={selected}
        onClose={() => setSelected(undefined)}
        onChanged={resource.reload}
      />
    </Card>
  );
}
