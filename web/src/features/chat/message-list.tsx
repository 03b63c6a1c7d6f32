import { RobotOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import type { ChatMessage } from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';

function Bubble({
  sender,
  text,
  testId,
}: {
  sender: ChatMessage['sender'];
  text: string;
  testId?: string;
}) {
  const { t } = useI18n();
  if (sender === 'system')
    return (
      <div style={{ textAlign: 'center', margin: '8px 0' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {text}
        </Typography.Text>
      </div>
    );
  const mine = sender === 'customer';
  return (
    <div
      style={{
        display: 'flex',
        flexDirection: mine ? 'row-reverse' : 'row',
        gap: 8,
        margin: '8px 0',
        alignItems: 'flex-start',
      }}
      data-testid={testId}
      data-sender={sender}
    >
      <Avatar
        size="small"
        style={{
          background: mine
            ? '#87d068'
            : sender === 'agent'
              ? '#fa8c16'
              : '#1677ff',
          flex: 'none',
        }}
        icon={mine ? <UserOutlined /> : <RobotOutlined />}
        aria-label={t(`chat.sender.${sender}`)}
      />
      <div
        style={{
          maxWidth: '78%',
          background: mine ? '#1677ff' : '#f5f5f5',
          color: mine ? '#fff' : 'rgba(0,0,0,0.88)',
          padding: '8px 12px',
          borderRadius: 10,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
          lineHeight: 1.6,
        }}
      >
        {sender === 'agent' && (
          <div style={{ fontSize: 12, color: '#fa8c16', marginBottom: 2 }}>
            {t('chat.sender.agent')}
          </div>
        )}
        {text}
      </div>
    </div>
  );
}

/** The conversation, the reply being streamed, and the quick replies. */
export function MessageList({
  messages,
  streaming,
  typing,
  onQuickReply,
  quickRepliesEnabled,
}: {
  messages: readonly ChatMessage[];
  streaming: ReadonlyMap<string, string>;
  typing: boolean;
  onQuickReply: (text: string) => void;
  quickRepliesEnabled: boolean;
}) {
  const { t } = useI18n();
  const end = useRef<HTMLDivElement>(null);
  const last = messages.at(-1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll on every change of the conversation.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages, streaming, typing]);
  return (
    <div
      role="log"
      aria-live="polite"
      aria-label={t('chat.history')}
      style={{ flex: 1, overflowY: 'auto', padding: '8px 16px' }}
    >
      {messages.map((message) => (
        <Bubble
          key={message.id}
          sender={message.sender}
          text={message.text}
          testId="chat-message"
        />
      ))}
      {[...streaming].map(([id, text]) => (
        <Bubble key={id} sender="bot" text={text} testId="chat-streaming" />
      ))}
      {typing && streaming.size === 0 && (
        <Typography.Text
          type="secondary"
          style={{ fontSize: 12 }}
          data-testid="chat-typing"
        >
          {t('chat.typing')}
        </Typography.Text>
      )}
      {quickRepliesEnabled &&
        last !== undefined &&
        last.sender !== 'customer' &&
        (last.quickReplies?.length ?? 0) > 0 && (
          <Space wrap size={[8, 8]} style={{ margin: '4px 0 8px 32px' }}>
            {last.quickReplies?.map((reply) => (
              <Button
                key={reply}
                size="small"
                shape="round"
                onClick={() => onQuickReply(reply)}
                data-testid="quick-reply"
              >
                {reply}
              </Button>
            ))}
          </Space>
        )}
      <div ref={end} />
    </div>
  );
}
