import { CheckCircleOutlined, LoginOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorText, postJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import type { ConversationDetail } from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';
import { MessageList } from '../chat/message-list.js';
import { Composer } from './composer.js';
import { Suggestions } from './suggestions.js';
import type { ConversationResource } from './use-conversation.js';

// One conversation: the bot's history with the borrower, take-over (the bot
// stops answering), the compliance-checked composer with suggested replies,
// and closing the conversation (the borrower is then asked for a rating).

function Header({
  detail,
  onChanged,
}: {
  detail: ConversationDetail;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const act = async (action: 'take-over' | 'close') => {
    setBusy(true);
    setError(undefined);
    try {
      await postJson(
        `/conversations/${encodeURIComponent(detail.id)}/${action}`,
      );
      onChanged();
    } catch (caught) {
      setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Typography.Text strong>
            {detail.customer === null
              ? t('inbox.visitor')
              : `${detail.customer.name} · ${detail.customer.phone}`}
          </Typography.Text>
          <Tag color={detail.status === 'waiting_agent' ? 'orange' : 'blue'}>
            {t(`inbox.status.${detail.status}`)}
          </Tag>
          {detail.verified ? (
            <Tag color="green" icon={<CheckCircleOutlined />}>
              {t('inbox.verified')}
            </Tag>
          ) : (
            <Tag>{t('inbox.unverified')}</Tag>
          )}
          {detail.handoffReasonZh !== null && (
            <Tag color="orange">{detail.handoffReasonZh}</Tag>
          )}
        </Space>
        <Space>
          {(detail.status === 'waiting_agent' || detail.status === 'bot') && (
            <Button
              type="primary"
              icon={<LoginOutlined />}
              loading={busy}
              onClick={() => void act('take-over')}
            >
              {t('inbox.takeOver')}
            </Button>
          )}
          {detail.status === 'agent' && (
            <Popconfirm
              title={t('inbox.closeConfirm')}
              onConfirm={() => void act('close')}
              okText={t('inbox.close')}
              cancelText={t('action.cancel')}
            >
              <Button loading={busy}>{t('inbox.close')}</Button>
            </Popconfirm>
          )}
        </Space>
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={error} />}
    </Space>
  );
}

export function ConversationPanel({
  conversation,
}: {
  conversation: ConversationResource;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  return (
    <AsyncView resource={conversation} rows={10}>
      {(detail) =>
        detail === undefined ? null : (
          <Card
            size="small"
            title={<Header detail={detail} onChanged={conversation.reload} />}
            styles={{
              body: { display: 'flex', flexDirection: 'column', gap: 8 },
            }}
          >
            <div
              style={{
                height: 'calc(100vh - 560px)',
                minHeight: 220,
                display: 'flex',
                flexDirection: 'column',
                border: '1px solid #f0f0f0',
                borderRadius: 6,
              }}
              data-testid="agent-history"
            >
              <MessageList
                messages={detail.messages}
                streaming={new Map()}
                typing={false}
                onQuickReply={() => undefined}
                quickRepliesEnabled={false}
              />
            </div>
            {detail.status === 'agent' ? (
              <>
                <Suggestions conversationId={detail.id} onPick={setDraft} />
                <Composer
                  conversationId={detail.id}
                  verified={detail.verified}
                  draft={draft}
                  onDraft={setDraft}
                  onSent={conversation.reload}
                />
              </>
            ) : (
              <Alert
                type="info"
                showIcon
                message={
                  detail.status === 'closed'
                    ? t('inbox.closedNotice')
                    : t('inbox.takeOverFirst')
                }
              />
            )}
          </Card>
        )
      }
    </AsyncView>
  );
}
