import { ClockCircleOutlined, UserOutlined } from '@ant-design/icons';
import { Badge, Card, List, Segmented, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { getJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import type {
  ConversationStatus,
  ConversationSummary,
  InboxServerEvent,
} from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import { applyPushed, useInboxPush } from './inbox-push.js';

// The queue updates at once from the push socket (a new hand-off, a new
// borrower message, a closed conversation). Bound: only while the socket is
// down does it poll, every 30 s.
const FALLBACK_REFRESH_MS = 30_000;

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
  onPushed,
}: {
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  /** A conversation's line changed (pushed): the open one reloads. */
  onPushed?: (id: string) => void;
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
  const { reload, data } = resource;
  const [pushed, setPushed] = useState<
    ReadonlyMap<string, ConversationSummary>
  >(new Map());
  // A fresh load already holds every pushed change before it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on each new load.
  useEffect(() => setPushed(new Map()), [data]);
  const onEvent = useCallback(
    (event: InboxServerEvent) => {
      if (event.type === 'resync') reload();
      else {
        setPushed((current) =>
          new Map(current).set(event.conversation.id, event.conversation),
        );
        onPushed?.(event.conversation.id);
      }
    },
    [reload, onPushed],
  );
  const connected = useInboxPush(onEvent);
  useEffect(() => {
    // Reconnected: catch up on what was missed while down.
    if (connected) {
      reload();
      return;
    }
    const timer = window.setInterval(reload, FALLBACK_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [connected, reload]);
  const now = Date.now();
  return (
    <Card
      size="small"
      title={t('inbox.queue')}
      style={{ height: '100%' }}
      data-testid="inbox-queue"
      data-live={connected ? 'push' : 'poll'}
    >
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
        isEmpty={(loaded) =>
          applyPushed(loaded.conversations, pushed, status).length === 0
        }
        emptyText={t('inbox.emptyQueue')}
      >
        {(loaded) => (
          <List
            size="small"
            dataSource={applyPushed(loaded.conversations, pushed, status)}
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
