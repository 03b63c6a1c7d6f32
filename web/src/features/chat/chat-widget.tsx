import {
  CustomerServiceOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  type GetRef,
  Input,
  Space,
  Tag,
  Typography,
} from 'antd';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../shared/i18n.js';
import { LocaleSwitch } from '../layout/locale-switch.js';
import { useChatSession } from './chat-session.js';
import { MessageList } from './message-list.js';
import { RatingCard } from './rating-card.js';
import { VerifyForm } from './verify-form.js';

// The borrower's chat window: the conversation, quick-reply chips under the
// bot's last answer, the identity check the bot asks for before any account
// detail, the notice while a human agent takes over, and the satisfaction
// rating when the conversation ends.

const TEXT_CHARS_MAX = 500;

export function ChatWidget({ embedded }: { embedded: boolean }) {
  const { t } = useI18n();
  const chat = useChatSession(t('chat.failed'));
  const [draft, setDraft] = useState('');
  const [verifying, setVerifying] = useState(false);
  const [ending, setEnding] = useState(false);
  const input = useRef<GetRef<typeof Input.TextArea>>(null);
  const state = chat.state;
  const closed = state?.status === 'closed' || ending;
  const lastBot = [...chat.messages]
    .reverse()
    .find((m) => m.sender !== 'customer');
  const asksVerification =
    state?.verified !== true &&
    lastBot !== undefined &&
    /验证|核实|身份|客户记录/.test(lastBot.text);
  useEffect(() => {
    if (asksVerification) setVerifying(true);
  }, [asksVerification]);
  useEffect(() => {
    if (state?.verified === true) setVerifying(false);
  }, [state?.verified]);
  const submit = async (text: string) => {
    const trimmed = text.trim();
    if (trimmed === '' || closed) return;
    setDraft('');
    await chat.send(trimmed.slice(0, TEXT_CHARS_MAX));
    input.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (
      event.key === 'Enter' &&
      !event.shiftKey &&
      !event.nativeEvent.isComposing
    ) {
      event.preventDefault();
      void submit(draft);
    }
  };
  return (
    <section
      aria-label={t('chat.title')}
      style={{
        height: embedded ? '100vh' : '100%',
        display: 'flex',
        flexDirection: 'column',
        background: '#fff',
        borderRadius: embedded ? 0 : 12,
        boxShadow: embedded ? 'none' : '0 6px 24px rgba(0,0,0,0.12)',
        overflow: 'hidden',
      }}
    >
      <header
        style={{
          background: '#1677ff',
          color: '#fff',
          padding: '12px 16px',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'space-between',
        }}
      >
        <Space>
          <CustomerServiceOutlined style={{ fontSize: 20 }} />
          <div>
            <div style={{ fontWeight: 600 }}>{t('chat.title')}</div>
            <div style={{ fontSize: 12, opacity: 0.85 }}>
              {t('chat.subtitle')}
            </div>
          </div>
        </Space>
        <Space size="small">
          {state?.verified === true ? (
            <Tag
              color="green"
              icon={<SafetyCertificateOutlined />}
              data-testid="chat-verified"
            >
              {t('chat.verified')}
            </Tag>
          ) : (
            <Button
              size="small"
              ghost
              onClick={() => setVerifying(true)}
              disabled={closed}
            >
              {t('chat.verify')}
            </Button>
          )}
          <LocaleSwitch />
        </Space>
      </header>
      {state?.status === 'waiting_agent' && (
        <Alert
          banner
          type="info"
          data-testid="chat-handoff"
          message={t('chat.waitingAgent')}
        />
      )}
      {state?.status === 'agent' && (
        <Alert banner type="success" message={t('chat.agentJoined')} />
      )}
      <MessageList
        messages={chat.messages}
        streaming={chat.streaming}
        typing={chat.typing}
        onQuickReply={(text) => void submit(text)}
        quickRepliesEnabled={!closed}
      />
      {chat.error !== undefined && (
        <Alert
          type="error"
          showIcon
          message={chat.error}
          action={
            <Button size="small" onClick={chat.restart}>
              {t('chat.restart')}
            </Button>
          }
        />
      )}
      {verifying && !closed && (
        <VerifyForm
          onCancel={() => setVerifying(false)}
          onSubmit={(text) => {
            void submit(text);
          }}
        />
      )}
      {closed ? (
        <RatingCard rate={chat.rate} onRestart={chat.restart} />
      ) : (
        <footer style={{ borderTop: '1px solid #f0f0f0', padding: 12 }}>
          <Input.TextArea
            ref={input}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={TEXT_CHARS_MAX}
            placeholder={t('chat.placeholder')}
            aria-label={t('chat.input')}
          />
          <Space
            style={{
              marginTop: 8,
              width: '100%',
              justifyContent: 'space-between',
            }}
          >
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('chat.privacy')}
            </Typography.Text>
            <Space>
              <Button size="small" onClick={() => setEnding(true)}>
                {t('chat.end')}
              </Button>
              <Button
                type="primary"
                size="small"
                icon={<SendOutlined />}
                onClick={() => void submit(draft)}
                disabled={draft.trim() === ''}
              >
                {t('chat.send')}
              </Button>
            </Space>
          </Space>
        </footer>
      )}
    </section>
  );
}
