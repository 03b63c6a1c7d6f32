import { SendOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Input, Space, Tag, Typography } from 'antd';
import { type KeyboardEvent, useEffect, useState } from 'react';
import { ApiRequestError, errorText, postJson } from '../../shared/api.js';
import type {
  ComplianceFinding,
  ComplianceVerdict,
} from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';
import { FindingList, HighlightedDraft } from './findings.js';

// The agent's composer. Every pause in typing sends the draft to the
// compliance engine (POST /compliance/check, as the agent, to a verified or
// unverified customer); the offending spans are highlighted with the rule,
// its legal basis and a suggested rewording. A blocked draft cannot be sent,
// a warned one only after the agent acknowledges it, and the server checks
// again on send. Ctrl+Enter (⌘+Enter) sends.

// Debounce: one check per pause in typing, not per keystroke.
const CHECK_DELAY_MS = 350;
const TEXT_CHARS_MAX = 500;

type Check = {
  readonly text: string;
  readonly verdict: ComplianceVerdict;
  readonly findings: readonly ComplianceFinding[];
};

function useLiveCheck(draft: string, verified: boolean) {
  const [check, setCheck] = useState<Check>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const text = draft;
    if (text.trim() === '') {
      setCheck(undefined);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      postJson<{ verdict: ComplianceVerdict; findings: ComplianceFinding[] }>(
        '/compliance/check',
        {
          text,
          role: 'agent',
          recipient: verified ? 'customer' : 'unverified',
        },
        { signal: controller.signal },
      )
        .then((answer) => {
          setFailed(false);
          setCheck({ text, ...answer });
        })
        .catch(() => {
          if (!controller.signal.aborted) setFailed(true);
        });
    }, CHECK_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [draft, verified]);
  const current = check?.text === draft ? check : undefined;
  return { check: current, stale: check, failed };
}

export function Composer({
  conversationId,
  verified,
  draft,
  onDraft,
  onSent,
}: {
  conversationId: string;
  verified: boolean;
  draft: string;
  onDraft: (text: string) => void;
  onSent: () => void;
}) {
  const { t } = useI18n();
  const { check, stale, failed } = useLiveCheck(draft, verified);
  const [acknowledged, setAcknowledged] = useState(false);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<Check>();
  const [error, setError] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new draft (typed or picked from the suggestions) needs a new acknowledgement.
  useEffect(() => {
    setAcknowledged(false);
    setRefusal(undefined);
  }, [draft]);
  const shown = refusal ?? check ?? stale;
  const empty = draft.trim() === '';
  const pending = !empty && check === undefined && !failed;
  const blocked = check?.verdict === 'block' || refusal?.verdict === 'block';
  const needsAck = check?.verdict === 'warn' && !acknowledged;
  const canSend = !empty && !pending && !blocked && !needsAck && !sending;
  const send = async () => {
    if (!canSend) return;
    setSending(true);
    setError(undefined);
    try {
      await postJson(
        `/conversations/${encodeURIComponent(conversationId)}/messages`,
        {
          text: draft,
          acknowledgeWarnings: acknowledged,
        },
      );
      onDraft('');
      onSent();
    } catch (caught) {
      const body = caught instanceof ApiRequestError ? caught.body : undefined;
      const findings = (body as { findings?: ComplianceFinding[] } | undefined)
        ?.findings;
      if (findings !== undefined && caught instanceof ApiRequestError)
        setRefusal({
          text: draft,
          verdict: caught.status === 422 ? 'block' : 'warn',
          findings,
        });
      else setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setSending(false);
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };
  const replaceSpan = (finding: ComplianceFinding) => {
    const [start, end] = finding.span;
    onDraft(`${draft.slice(0, start)}${finding.suggestion}${draft.slice(end)}`);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={6}>
      <Input.TextArea
        value={draft}
        onChange={(event) => onDraft(event.target.value)}
        onKeyDown={onKeyDown}
        autoSize={{ minRows: 3, maxRows: 6 }}
        maxLength={TEXT_CHARS_MAX}
        placeholder={t('composer.placeholder')}
        aria-label={t('composer.label')}
        aria-describedby="composer-verdict"
        status={blocked ? 'error' : check?.verdict === 'warn' ? 'warning' : ''}
        data-testid="composer"
      />
      {shown !== undefined && shown.findings.length > 0 && (
        <HighlightedDraft text={shown.text} findings={shown.findings} />
      )}
      <Space
        id="composer-verdict"
        style={{ width: '100%', justifyContent: 'space-between' }}
        aria-live="polite"
      >
        <Space size={4}>
          {empty ? null : pending ? (
            <Tag>{t('composer.checking')}</Tag>
          ) : failed && check === undefined ? (
            <Tag color="default">{t('composer.checkFailed')}</Tag>
          ) : blocked ? (
            <Tag color="red" data-testid="verdict">
              {t('composer.blocked')}
            </Tag>
          ) : check?.verdict === 'warn' ? (
            <Tag color="orange" data-testid="verdict">
              {t('composer.warned')}
            </Tag>
          ) : (
            <Tag color="green" data-testid="verdict">
              {t('composer.passed')}
            </Tag>
          )}
          {check?.verdict === 'warn' && (
            <Checkbox
              checked={acknowledged}
              onChange={(event) => setAcknowledged(event.target.checked)}
            >
              {t('composer.acknowledge')}
            </Checkbox>
          )}
        </Space>
        <Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('composer.shortcut')}
          </Typography.Text>
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={!canSend}
            loading={sending}
            onClick={() => void send()}
            data-testid="send"
          >
            {t('composer.send')}
          </Button>
        </Space>
      </Space>
      {error !== undefined && <Alert type="error" showIcon message={error} />}
      {shown !== undefined && shown.findings.length > 0 && (
        <FindingList findings={shown.findings} onReplace={replaceSpan} />
      )}
    </Space>
  );
}
