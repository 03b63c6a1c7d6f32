import { ClockCircleOutlined, UserOutlined } from '@ant-design/icons';
import { Badge, Card, List, Segmented, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { getJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import type {
  ConversationStatus,
  ConversationSummary,
} from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';

// Bound: the queue refreshes every 10 s; a new waiting borrower shows up
// without a manual reload.
const REFRESH_MS = 10_000;

const TABS: readonly ConversationStatus[] = [
  'waiting_agent',
  'agent',
  'bot',
  'closed',
];

export function minutesSince(
  iso: string | null,
  now: number,
): number | undefined {
  if (iso === null) return undefined;
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
}

export function ConversationList({
  selectedId,
  onSelect,
}: {
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}) {
  const { t } = useI18n();
  const [status, setStatus] = useState<ConversationStatus>('waiting_agent');
  const resource = useResource(
    (signal) =>
      getJson<{ conversations: ConversationSummary[] }>(
        `/conversations?status=${status}`,
        { signal },
      ),
    [status],
  );
  const { reload } = resource;
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const now = Date.now();
  return (
    <Card size="small" title={t('inbox.queue')} style={{ height: '100%' }}>
      <Segmented<ConversationStatus>
        block
        size="small"
        value={status}
        onChange={setStatus}
        options={TABS.map((tab) => ({
          value: tab,
          label: t(`inbox.status.${tab}`),
        }))}
        style={{ marginBottom: 8 }}
      />
      <AsyncView
        resource={resource}
        isEmpty={(data) => data.conversations.length === 0}
        emptyText={t('inbox.emptyQueue')}
      >
        {(data) => (
          <List
            size="small"
            dataSource={data.conversations}
            style={{ maxHeight: 'calc(100vh - 280px)', overflowY: 'auto' }}
            renderItem={(item) => {
              const waited = minutesSince(item.waitingSince, now);
              const active = item.id === selectedId;
              return (
                <List.Item
                  key={item.id}
                  onClick={() => onSelect(item.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ')
                      onSelect(item.id);
                  }}
                  tabIndex={0}
                  role="button"
                  aria-pressed={active}
                  data-testid="conversation-item"
                  style={{
                    cursor: 'pointer',
                    background: active ? '#e6f4ff' : undefined,
                    borderRadius: 6,
                    padding: '8px',
                  }}
                >
                  <Space
                    direction="vertical"
                    size={2}
                    style={{ width: '100%' }}
                  >
                    <Space
                      style={{ justifyContent: 'space-between', width: '100%' }}
                    >
                      <Space size={4}>
                        <UserOutlined />
                        <Typography.Text strong>
                          {item.customer === null
                            ? t('inbox.visitor')
                            : `${item.customer.name} ${item.customer.phone}`}
                        </Typography.Text>
                      </Space>
                      {item.status === 'waiting_agent' && (
                        <Badge status="processing" />
                      )}
                    </Space>
                    <Space size={4} wrap>
                      {item.handoffReasonZh !== null && (
                        <Tag color="orange">{item.handoffReasonZh}</Tag>
                      )}
                      {!item.verified && <Tag>{t('inbox.unverified')}</Tag>}
                      {waited !== undefined &&
                        item.status === 'waiting_agent' && (
                          <Tag
                            icon={<ClockCircleOutlined />}
                            color={waited >= 5 ? 'red' : 'default'}
                          >
                            {t('inbox.waited', { minutes: waited })}
                          </Tag>
                        )}
                    </Space>
                    <Typography.Text
                      type="secondary"
                      ellipsis
                      style={{ fontSize: 12 }}
                    >
                      {item.lastMessage?.text ?? ''}
                    </Typography.Text>
                  </Space>
                </List.Item>
              );
            }}
          />
        )}
      </AsyncView>
    </Card>
  );
}
