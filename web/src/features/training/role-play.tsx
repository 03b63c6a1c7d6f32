import {
  Alert,
  Button,
  Card,
  Descriptions,
  Divider,
  Input,
  List,
  Progress,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { errorText, getJson, postJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import type {
  ComplianceFinding,
  ComplianceVerdict,
} from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import { FindingList, HighlightedDraft } from '../inbox/findings.js';
import { ITEM_KEYS } from './rubric-labels.js';
import type { Persona, TrainingSession } from './training-wire.js';

// Role-play (陪练): the trainee picks a simulated customer and answers it in
// the same composer as the inbox — live compliance warnings while typing,
// unless exam mode is on — and gets the rubric score, the evidence and a
// model answer at the end.

const CHECK_DELAY_MS = 350;

function useDraftCheck(text: string, enabled: boolean) {
  const [check, setCheck] = useState<{
    text: string;
    verdict: ComplianceVerdict;
    findings: ComplianceFinding[];
  }>();
  useEffect(() => {
    if (!enabled || text.trim() === '') {
      setCheck(undefined);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      postJson<{ verdict: ComplianceVerdict; findings: ComplianceFinding[] }>(
        '/compliance/check',
        { text, role: 'agent', recipient: 'customer' },
        { signal: controller.signal },
      )
        .then((answer) => setCheck({ text, ...answer }))
        .catch(() => undefined);
    }, CHECK_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [text, enabled]);
  return check?.text === text ? check : undefined;
}

function PersonaPicker({
  onStart,
}: {
  onStart: (persona: Persona, exam: boolean) => void;
}) {
  const { t } = useI18n();
  const [exam, setExam] = useState(false);
  const personas = useResource(
    (signal) => getJson<{ items: Persona[] }>('/training/personas', { signal }),
    [],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Switch checked={exam} onChange={setExam} data-testid="exam-switch" />
        <Typography.Text>{t('training.examMode')}</Typography.Text>
        <Typography.Text type="secondary">
          {t('training.examHint')}
        </Typography.Text>
      </Space>
      <AsyncView resource={personas} isEmpty={(d) => d.items.length === 0}>
        {(data) => (
          <List
            grid={{ gutter: 12, xs: 1, sm: 2, lg: 3 }}
            dataSource={data.items}
            renderItem={(persona) => (
              <List.Item>
                <Card
                  size="small"
                  title={persona.name_zh}
                  extra={
                    <Tag
                      color={
                        ['green', 'gold', 'red'][persona.difficulty - 1] ??
                        'default'
                      }
                    >
                      {t('training.difficulty', { n: persona.difficulty })}
                    </Tag>
                  }
                  actions={[
                    <Button
                      key="start"
                      type="primary"
                      size="small"
                      data-testid={`start-${persona.id}`}
                      onClick={() => onStart(persona, exam)}
                    >
                      {t('training.start')}
                    </Button>,
                  ]}
                >
                  <Typography.Paragraph
                    type="secondary"
                    ellipsis={{ rows: 3 }}
                    style={{ marginBottom: 0 }}
                  >
                    {persona.goal_zh}
                  </Typography.Paragraph>
                </Card>
              </List.Item>
            )}
          />
        )}
      </AsyncView>
    </Space>
  );
}

function ResultView({ session }: { session: TrainingSession }) {
  const { t } = useI18n();
  const result = session.result;
  if (result === null) return null;
  return (
    <Card title={t('training.result')} data-testid="training-result">
      {result.hard_fail ? (
        <Alert
          type="error"
          showIcon
          message={t('training.hardFail')}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      <Descriptions size="small" column={{ xs: 1, md: 4 }}>
        <Descriptions.Item label={t('training.score')}>
          <Typography.Text strong data-testid="training-score">
            {result.score}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('training.qaScore')}>
          {result.qa_score}
        </Descriptions.Item>
        <Descriptions.Item label={t('training.facts')}>
          {result.facts_revealed}/{result.facts_total}
        </Descriptions.Item>
        <Descriptions.Item label={t('training.goal')}>
          {result.goal_met ? t('training.goalMet') : t('training.goalMissed')}
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="item"
        pagination={false}
        dataSource={result.items}
        columns={[
          {
            title: t('qa.item'),
            dataIndex: 'item',
            render: (item: string) => t(ITEM_KEYS[item] ?? 'qa.item'),
          },
          {
            title: t('training.points'),
            render: (_, row) => `${row.score}/${row.max}`,
          },
          {
            title: t('qa.evidence'),
            render: (_, row) => row.evidence.map((e) => e.reason).join(' '),
          },
        ]}
      />
      <Divider>{t('training.modelAnswer')}</Divider>
      <List
        size="small"
        dataSource={result.model_answer}
        renderItem={(turn, index) => (
          <List.Item key={index}>
            <Space direction="vertical" size={2}>
              <Typography.Text type="secondary">
                {t('training.customer')}：{turn.customer}
              </Typography.Text>
              <Typography.Text>
                {t('training.agent')}：{turn.agent}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

function SessionView({
  initial,
  onClose,
}: {
  initial: TrainingSession;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [session, setSession] = useState(initial);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string>();
  const check = useDraftCheck(
    draft,
    !session.exam && session.status === 'open',
  );
  const last = session.turns.at(-1);
  const send = async () => {
    if (draft.trim() === '' || sending) return;
    setSending(true);
    setFailure(undefined);
    try {
      setSession(
        await postJson<TrainingSession>(
          `/training/sessions/${session.id}/messages`,
          { text: draft.trim() },
        ),
      );
      setDraft('');
    } catch (caught) {
      setFailure(errorText(caught, t('state.errorRetry')));
    } finally {
      setSending(false);
    }
  };
  const finish = async () => {
    try {
      setSession(
        await postJson<TrainingSession>(
          `/training/sessions/${session.id}/finish`,
          {},
        ),
      );
    } catch (caught) {
      setFailure(errorText(caught, t('state.errorRetry')));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={`${session.persona_name} · ${session.customer}`}
        extra={
          <Space>
            {session.exam ? (
              <Tag color="purple">{t('training.examMode')}</Tag>
            ) : null}
            <Button onClick={onClose}>{t('training.back')}</Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          {session.goal_zh}
        </Typography.Paragraph>
        {!session.exam && last?.anger !== undefined ? (
          <Space style={{ marginBottom: 8 }}>
            <Typography.Text>{t('training.anger')}</Typography.Text>
            <Progress
              percent={last.anger}
              size="small"
              style={{ width: 200 }}
              strokeColor={last.anger >= 60 ? '#ff4d4f' : '#faad14'}
              data-testid="anger"
            />
          </Space>
        ) : null}
        <List
          size="small"
          data-testid="roleplay-transcript"
          dataSource={[
            { agent: '', customer: session.opening },
            ...session.turns,
          ]}
          renderItem={(turn, index) => (
            <List.Item key={index}>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                {turn.agent !== '' ? (
                  <Typography.Text>
                    {t('training.you')}：{turn.agent}
                  </Typography.Text>
                ) : null}
                {'acts' in turn && turn.acts !== undefined ? (
                  <Space size={4} wrap data-testid="turn-acts">
                    <Typography.Text type="secondary">
                      {t('training.heard')}
                    </Typography.Text>
                    {turn.acts
                      .filter((act) => act !== 'other')
                      .map((act) => (
                        <Tag key={act} data-testid={`act-${act}`}>
                          {t(`training.act.${act}` as 'training.act.other')}
                        </Tag>
                      ))}
                  </Space>
                ) : null}
                <Typography.Text strong data-testid="customer-line">
                  {t('training.customer')}：{turn.customer}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>
      {session.status === 'open' ? (
        <Card size="small">
          <Input.TextArea
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey))
                void send();
            }}
            autoSize={{ minRows: 3, maxRows: 6 }}
            maxLength={500}
            placeholder={t('training.placeholder')}
            data-testid="training-draft"
          />
          {check !== undefined && check.findings.length > 0 ? (
            <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
              <HighlightedDraft text={draft} findings={check.findings} />
              <FindingList
                findings={check.findings}
                onReplace={(finding) => setDraft(finding.suggestion)}
              />
            </Space>
          ) : null}
          {failure !== undefined ? (
            <Alert type="error" message={failure} style={{ marginTop: 8 }} />
          ) : null}
          <Space style={{ marginTop: 8 }}>
            <Button
              type="primary"
              loading={sending}
              onClick={() => void send()}
              data-testid="training-send"
            >
              {t('training.send')}
            </Button>
            <Button onClick={() => void finish()} data-testid="training-finish">
              {t('training.finish')}
            </Button>
          </Space>
        </Card>
      ) : null}
      <ResultView session={session} />
    </Space>
  );
}

export function RolePlay() {
  const { t } = useI18n();
  const [session, setSession] = useState<TrainingSession>();
  const [failure, setFailure] = useState<string>();
  const start = async (persona: Persona, exam: boolean) => {
    setFailure(undefined);
    try {
      setSession(
        await postJson<TrainingSession>('/training/sessions', {
          persona_id: persona.id,
          exam,
        }),
      );
    } catch (caught) {
      setFailure(errorText(caught, t('state.errorRetry')));
    }
  };
  if (session !== undefined)
    return (
      <SessionView
        key={session.id}
        initial={session}
        onClose={() => setSession(undefined)}
      />
    );
  return (
    <>
      {failure !== undefined ? (
        <Alert type="error" message={failure} style={{ marginBottom: 12 }} />
      ) : null}
      <PersonaPicker onStart={(persona, exam) => void start(persona, exam)} />
    </>
  );
}
