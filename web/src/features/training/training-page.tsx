import {
  Alert,
  Button,
  Card,
  Input,
  List,
  Radio,
  Result,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { errorText, getJson, postJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { Chart } from '../../shared/chart.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';
import { RolePlay } from './role-play.js';
import { ITEM_KEYS } from './rubric-labels.js';
import type { Quiz, QuizGrade, TrainingReport } from './training-wire.js';

// 培训: role-play, knowledge quizzes, and the trainee's own assessment report
// (printable).

function QuizTab() {
  const { t } = useI18n();
  const [quiz, setQuiz] = useState<Quiz>();
  const [answers, setAnswers] = useState<Record<string, string | number>>({});
  const [grade, setGrade] = useState<QuizGrade>();
  const [failure, setFailure] = useState<string>();
  const start = async () => {
    setFailure(undefined);
    setGrade(undefined);
    setAnswers({});
    try {
      setQuiz(await postJson<Quiz>('/training/quizzes', { count: 8 }));
    } catch (caught) {
      setFailure(errorText(caught, t('state.errorRetry')));
    }
  };
  const submit = async () => {
    if (quiz === undefined) return;
    try {
      setGrade(
        await postJson<QuizGrade>(`/training/quizzes/${quiz.id}/answers`, {
          answers,
        }),
      );
    } catch (caught) {
      setFailure(errorText(caught, t('state.errorRetry')));
    }
  };
  const graded = new Map(grade?.items.map((item) => [item.id, item]));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        type="primary"
        onClick={() => void start()}
        data-testid="quiz-start"
      >
        {quiz === undefined ? t('training.quizStart') : t('training.quizAgain')}
      </Button>
      {failure !== undefined ? <Alert type="error" message={failure} /> : null}
      {grade !== undefined ? (
        <Alert
          type={grade.score >= 60 ? 'success' : 'warning'}
          showIcon
          data-testid="quiz-score"
          message={t('training.quizScore', {
            score: grade.score,
            correct: grade.correct,
            total: grade.total,
          })}
        />
      ) : null}
      {quiz === undefined ? null : (
        <List
          dataSource={quiz.items}
          renderItem={(item, index) => {
            const result = graded.get(item.id);
            return (
              <List.Item key={item.id}>
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Typography.Text strong>
                    {index + 1}. {item.question}{' '}
                    {result === undefined ? null : (
                      <Tag color={result.correct ? 'green' : 'red'}>
                        {result.correct
                          ? t('training.right')
                          : t('training.wrong')}
                      </Tag>
                    )}
                  </Typography.Text>
                  {item.options === undefined ? (
                    <Input
                      style={{ maxWidth: 240 }}
                      addonAfter={t('unit.yuan')}
                      disabled={grade !== undefined}
                      value={String(answers[item.id] ?? '')}
                      onChange={(event) =>
                        setAnswers({
                          ...answers,
                          [item.id]: event.target.value,
                        })
                      }
                      data-testid={`quiz-input-${item.id}`}
                    />
                  ) : (
                    <Radio.Group
                      disabled={grade !== undefined}
                      value={answers[item.id]}
                      onChange={(event) =>
                        setAnswers({
                          ...answers,
                          [item.id]: event.target.value as number,
                        })
                      }
                    >
                      <Space direction="vertical">
                        {item.options.map((option, optionIndex) => (
                          <Radio key={option} value={optionIndex}>
                            {option}
                          </Radio>
                        ))}
                      </Space>
                    </Radio.Group>
                  )}
                  {result === undefined ? null : (
                    <Typography.Text type="secondary">
                      {typeof result.answer === 'number'
                        ? `${t('training.answer')}：${item.options?.[result.answer] ?? ''}`
                        : `${t('training.answer')}：${result.answer}${t('unit.yuan')}`}
                      {'　'}
                      {result.explanation}
                    </Typography.Text>
                  )}
                </Space>
              </List.Item>
            );
          }}
        />
      )}
      {quiz !== undefined && grade === undefined ? (
        <Button
          type="primary"
          onClick={() => void submit()}
          data-testid="quiz-submit"
        >
          {t('training.quizSubmit')}
        </Button>
      ) : null}
    </Space>
  );
}

function ReportTab() {
  const { t } = useI18n();
  const report = useResource(
    (signal) => getJson<TrainingReport>('/training/report', { signal }),
    [],
  );
  return (
    <AsyncView resource={report}>
      {(data) =>
        data.sessions.length === 0 && data.quizzes.length === 0 ? (
          <Result status="info" title={t('training.reportEmpty')} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button href="/api/v1/training/report.html" target="_blank">
              {t('training.print')}
            </Button>
            {data.sessions.length > 0 ? (
              <Card size="small" title={t('training.progress')}>
                <Chart
                  testId="training-progress-chart"
                  ariaLabel={t('training.progress')}
                  height={220}
                  option={{
                    tooltip: { trigger: 'axis' },
                    xAxis: {
                      type: 'category',
                      data: data.sessions.map((_s, i) => `${i + 1}`),
                    },
                    yAxis: { type: 'value', min: 0, max: 100 },
                    series: [
                      {
                        type: 'line',
                        data: data.sessions.map((s) => s.score),
                        name: t('training.score'),
                      },
                    ],
                  }}
                />
              </Card>
            ) : null}
            <Table
              size="small"
              rowKey="persona_id"
              pagination={false}
              dataSource={data.by_persona}
              columns={[
                { title: t('training.persona'), dataIndex: 'persona_name' },
                { title: t('training.sessions'), dataIndex: 'sessions' },
                { title: t('training.best'), dataIndex: 'best' },
                { title: t('training.latest'), dataIndex: 'latest' },
              ]}
            />
            <Table
              size="small"
              rowKey="item"
              pagination={false}
              dataSource={data.weakest_items.slice(0, 5)}
              columns={[
                {
                  title: t('training.weakest'),
                  dataIndex: 'item',
                  render: (item: string) => t(ITEM_KEYS[item] ?? 'qa.item'),
                },
                {
                  title: t('qa.lostShare'),
                  dataIndex: 'share',
                  render: (share: string) =>
                    `${(Number(share) * 100).toFixed(1)}%`,
                },
              ]}
            />
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.quizzes}
              columns={[
                { title: t('training.quizDate'), dataIndex: 'date' },
                { title: t('training.quizItems'), dataIndex: 'total' },
                { title: t('training.score'), dataIndex: 'score' },
              ]}
            />
          </Space>
        )
      }
    </AsyncView>
  );
}

export function TrainingPage() {
  const { t } = useI18n();
  return (
    <Tabs
      items={[
        {
          key: 'roleplay',
          label: t('training.tabRolePlay'),
          children: <RolePlay />,
        },
        { key: 'quiz', label: t('training.tabQuiz'), children: <QuizTab /> },
        {
          key: 'report',
          label: t('training.tabReport'),
          children: <ReportTab />,
        },
      ]}
    />
  );
}
