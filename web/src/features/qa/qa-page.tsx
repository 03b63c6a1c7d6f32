import {
  Alert,
  Button,
  Card,
  Col,
  Input,
  InputNumber,
  Modal,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type {
  QaReportOutput,
  QaScoreOutput,
} from '../../../../src/contracts/qa.js';
import { errorText, getJson, postJson } from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import { Chart } from '../../shared/chart.js';
import { useI18n } from '../../shared/i18n.js';
import { useSession } from '../../shared/session.js';
import { useResource } from '../../shared/use-resource.js';
import { ITEM_KEYS } from '../training/rubric-labels.js';
import { RubricEditor } from './rubric-editor.js';

// 质检 for supervisors: run the inspection, the trend, scores by team (each
// with its trend), agent and intent, the weakest rubric items, the worst
// conversations first with the evidence per item, red-line failures, and an
// override with a comment (audited on the server). The 评分表 tab is the
// rubric: editable by admins, read-only for supervisors.

function ItemsTable({ score }: { score: QaScoreOutput }) {
  const { t } = useI18n();
  return (
    <Table
      size="small"
      rowKey="item"
      pagination={false}
      dataSource={score.items}
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
          render: (_, row) => (
            <Space direction="vertical" size={0}>
              {row.evidence.map((e) => (
                <Typography.Text
                  key={`${e.turn}-${e.span[0]}-${e.reason}`}
                  style={{ fontSize: 12 }}
                >
                  {t('qa.turn', { n: e.turn + 1 })}：{e.reason}
                </Typography.Text>
              ))}
            </Space>
          ),
        },
      ]}
    />
  );
}

function QaReport() {
  const { t } = useI18n();
  const [generation, setGeneration] = useState(0);
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [editing, setEditing] = useState<QaScoreOutput>();
  const [overrideScore, setOverrideScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const report = useResource(
    (signal) => getJson<QaReportOutput>('/qa/report', { signal }),
    [generation],
  );
  const inspect = async () => {
    setRunning(true);
    try {
      const result = await postJson<{ conversations: number; scores: number }>(
        '/qa/inspections',
        {},
      );
      setNotice(
        t('qa.inspected', {
          conversations: result.conversations,
          scores: result.scores,
        }),
      );
      setGeneration((g) => g + 1);
    } catch (caught) {
      setNotice(errorText(caught, t('state.errorRetry')));
    } finally {
      setRunning(false);
    }
  };
  const saveOverride = async () => {
    if (editing === undefined || overrideScore === null) return;
    try {
      await postJson(`/qa/scores/${editing.id}/override`, {
        score: overrideScore,
        comment,
      });
      setEditing(undefined);
      setGeneration((g) => g + 1);
    } catch (caught) {
      setNotice(errorText(caught, t('state.errorRetry')));
    }
  };
  const scoreColumns = [
    { title: t('qa.conversation'), dataIndex: 'conversation_id' },
    {
      title: t('qa.speaker'),
      dataIndex: 'speaker',
      render: (s: string) => (s === 'bot' ? t('qa.bot') : t('qa.agent')),
    },
    {
      title: t('training.score'),
      render: (_: unknown, row: QaScoreOutput) => (
        <Space>
          <Typography.Text strong>{row.effective_score}</Typography.Text>
          {row.override === null ? null : (
            <Tag color="blue">{t('qa.overridden', { score: row.score })}</Tag>
          )}
          {row.hard_fail ? <Tag color="red">{t('qa.hardFail')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('qa.date'), dataIndex: 'scored_on' },
    {
      title: '',
      render: (_: unknown, row: QaScoreOutput) => (
        <Button
          size="small"
          onClick={() => {
            setEditing(row);
            setOverrideScore(row.effective_score);
            setComment(row.override?.comment ?? '');
          }}
        >
          {t('qa.override')}
        </Button>
      ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space>
        <Button
          type="primary"
          loading={running}
          onClick={() => void inspect()}
          data-testid="qa-inspect"
        >
          {t('qa.run')}
        </Button>
        {notice !== undefined ? (
          <Typography.Text type="secondary">{notice}</Typography.Text>
        ) : null}
      </Space>
      <AsyncView
        resource={report}
        isEmpty={(d) => d.total === 0}
        emptyText={t('qa.empty')}
      >
        {(data) => (
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <Card size="small">
                  <Statistic title={t('qa.total')} value={data.total} />
                </Card>
              </Col>
              <Col xs={24} md={8}>
                <Card size="small">
                  <Statistic
                    title={t('qa.average')}
                    value={data.average ?? '-'}
                  />
                </Card>
              </Col>
              <Col xs={24} md={8}>
                <Card size="small">
                  <Statistic
                    title={t('qa.hardFails')}
                    value={data.hard_fails.length}
                    valueStyle={{
                      color: data.hard_fails.length > 0 ? '#cf1322' : undefined,
                    }}
                  />
                </Card>
              </Col>
            </Row>
            <Row gutter={12}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('qa.trend')}>
                  <Chart
                    testId="qa-trend-chart"
                    ariaLabel={t('qa.trend')}
                    height={220}
                    option={{
                      tooltip: { trigger: 'axis' },
                      xAxis: {
                        type: 'category',
                        data: data.trend.map((d) => d.date),
                      },
                      yAxis: { type: 'value', min: 0, max: 100 },
                      series: [
                        {
                          type: 'line',
                          name: t('qa.average'),
                          data: data.trend.map((d) => d.average),
                        },
                      ],
                    }}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('qa.weakest')}>
                  <Chart
                    testId="qa-items-chart"
                    ariaLabel={t('qa.weakest')}
                    height={220}
                    option={{
                      tooltip: {},
                      grid: { left: 90 },
                      xAxis: { type: 'value', max: 100 },
                      yAxis: {
                        type: 'category',
                        data: data.weakest_items.map((w) =>
                          t(ITEM_KEYS[w.item] ?? 'qa.item'),
                        ),
                      },
                      series: [
                        {
                          type: 'bar',
                          name: t('qa.lostShare'),
                          data: data.weakest_items.map(
                            (w) => Math.round(Number(w.share) * 1000) / 10,
                          ),
                        },
                      ],
                    }}
                  />
                </Card>
              </Col>
            </Row>
            <TeamBreakdown report={data} />
            <Row gutter={12}>
              {[
                { title: t('qa.byAgent'), rows: data.by_agent },
                { title: t('qa.byIntent'), rows: data.by_intent },
              ].map((group) => (
                <Col xs={24} lg={12} key={group.title}>
                  <Table
                    size="small"
                    title={() => group.title}
                    rowKey="key"
                    pagination={false}
                    dataSource={group.rows}
                    columns={[
                      {
                        title: '',
                        render: (
                          _: unknown,
                          row: { key: string; name?: string },
                        ) =>
                          row.name ??
                          (row.key === 'unassigned'
                            ? t('qa.unassigned')
                            : row.key),
                      },
                      {
                        title: t('qa.conversations'),
                        dataIndex: 'conversations',
                      },
                      { title: t('qa.average'), dataIndex: 'average' },
                      { title: t('qa.hardFails'), dataIndex: 'hard_fails' },
                    ]}
                  />
                </Col>
              ))}
            </Row>
            {data.hard_fails.length > 0 ? (
              <Alert
                type="error"
                showIcon
                message={t('qa.hardFailList', { n: data.hard_fails.length })}
              />
            ) : null}
            <Table
              size="small"
              title={() => t('qa.worst')}
              rowKey="id"
              data-testid="qa-worst"
              dataSource={data.worst}
              columns={scoreColumns}
              expandable={{
                expandedRowRender: (row) => <ItemsTable score={row} />,
              }}
              pagination={{ pageSize: 10 }}
            />
          </Space>
        )}
      </AsyncView>
      <Modal
        open={editing !== undefined}
        title={t('qa.override')}
        onCancel={() => setEditing(undefined)}
        onOk={() => void saveOverride()}
        okButtonProps={{
          disabled: overrideScore === null || comment.trim().length < 2,
        }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <InputNumber
            min={0}
            max={100}
            value={overrideScore}
            onChange={(value) => setOverrideScore(value)}
          />
          <Input.TextArea
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            placeholder={t('qa.comment')}
            maxLength={500}
          />
        </Space>
      </Modal>
    </Space>
  );
}

function TeamBreakdown({ report }: { report: QaReportOutput }) {
  const { t } = useI18n();
  if (report.by_team.length === 0) return null;
  const label = (group: QaReportOutput['by_team'][number]) =>
    group.key === 'unassigned' ? t('qa.unassigned') : (group.name ?? group.key);
  const dates = [
    ...new Set(report.by_team.flatMap((g) => g.trend.map((d) => d.date))),
  ].sort();
  return (
    <Row gutter={12}>
      <Col xs={24} lg={12}>
        <Table
          size="small"
          title={() => t('qa.byTeam')}
          rowKey="key"
          pagination={false}
          data-testid="qa-by-team"
          dataSource={report.by_team}
          columns={[
            {
              title: t('qa.team'),
              render: (_: unknown, row: QaReportOutput['by_team'][number]) =>
                label(row),
            },
            { title: t('qa.conversations'), dataIndex: 'conversations' },
            { title: t('qa.average'), dataIndex: 'average' },
            { title: t('qa.hardFails'), dataIndex: 'hard_fails' },
          ]}
        />
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t('qa.teamTrend')}>
          <Chart
            testId="qa-team-trend-chart"
            ariaLabel={t('qa.teamTrend')}
            height={220}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { top: 30 },
              xAxis: { type: 'category', data: dates },
              yAxis: { type: 'value', min: 0, max: 100 },
              series: report.by_team.map((group) => ({
                type: 'line',
                name: label(group),
                connectNulls: true,
                data: dates.map(
                  (date) =>
                    group.trend.find((d) => d.date === date)?.average ?? null,
                ),
              })),
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}

export function QaPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const roles = user?.roles ?? [];
  const canReport = roles.includes('supervisor');
  const canEdit = roles.includes('admin');
  return (
    <Tabs
      items={[
        ...(canReport
          ? [
              {
                key: 'report',
                label: t('qa.tabReport'),
                children: <QaReport />,
              },
            ]
          : []),
        {
          key: 'rubric',
          label: t('qa.tabRubric'),
          children: <RubricEditor editable={canEdit} />,
        },
      ]}
    />
  );
}
