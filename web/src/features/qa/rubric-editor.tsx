import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import {
  RUBRIC_PHRASE_LISTS,
  type RubricData,
  type RubricOutput,
  type RubricVersionsOutput,
} from '../../../../src/contracts/qa.js';
import {
  ApiRequestError,
  errorText,
  getJson,
  putJson,
} from '../../shared/api.js';
import { AsyncView } from '../../shared/async-view.js';
import type { MessageKey } from '../../shared/i18n.js';
import { useI18n } from '../../shared/i18n.js';
import { useResource } from '../../shared/use-resource.js';

// The rubric (质检评分表) as a form: item weights, names and descriptions,
// phrase lists, jargon and deductions. Admins save it as a new version (the
// server validates and numbers it; its zh-CN error names the field, which
// the form marks); everyone else with access reads it. The version history
// shows which version is in force and how many scores each one gave.

type ItemRow = RubricData['items'][number];

type FieldError = { readonly field: string; readonly message: string };

const THRESHOLDS = [
  ['long_reply_chars', 'rubricEditor.longReply', 20, 2000],
  ['clarity_deduction_percent', 'rubricEditor.clarityDeduction', 0, 100],
  ['compliance_warn_deduction_percent', 'rubricEditor.warnDeduction', 0, 100],
] as const;

/** The field's error when the server's `field` is it or inside it. */
function errorAt(error: FieldError | undefined, field: string) {
  if (error === undefined) return undefined;
  return error.field === field || error.field.startsWith(`${field}[`)
    ? error.message
    : undefined;
}

/** An instant as Beijing time (the service's business clock), to the minute. */
function timeText(at: string | null): string {
  if (at === null) return '-';
  return new Date(at).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function statusAt(error: FieldError | undefined, field: string) {
  return errorAt(error, field) === undefined
    ? ('' as const)
    : ('error' as const);
}

function FieldNote({ message }: { message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <Typography.Text type="danger" style={{ fontSize: 12 }}>
      {message}
    </Typography.Text>
  );
}

function Editor({
  current,
  editable,
  onSaved,
}: {
  current: RubricOutput;
  editable: boolean;
  onSaved: (version: string) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<RubricData>(current.rubric);
  const [error, setError] = useState<FieldError>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    setDraft(current.rubric);
    setError(undefined);
  }, [current]);
  const total = draft.items.reduce((sum, item) => sum + (item.max ?? 0), 0);
  const setItem = (index: number, change: Partial<ItemRow>) =>
    setDraft((d) => ({
      ...d,
      items: d.items.map((item, n) =>
        n === index ? { ...item, ...change } : item,
      ),
    }));
  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const { version: _, ...rubric } = draft;
      const saved = await putJson<RubricOutput>('/qa/rubric', {
        rubric,
        base_version: current.version,
      });
      onSaved(saved.version);
    } catch (caught) {
      setError({
        field:
          caught instanceof ApiRequestError
            ? (caught.error.field ?? 'rubric')
            : 'rubric',
        message: errorText(caught, t('state.errorRetry')),
      });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Typography.Text strong data-testid="rubric-version">
          {t('rubricEditor.version', { version: current.version })}
        </Typography.Text>
        <Typography.Text type="secondary">
          {current.source === 'file'
            ? t('rubricEditor.sourceFile')
            : t('rubricEditor.sourceDatabase', {
                by: current.created_by ?? '',
                at: timeText(current.created_at),
              })}
        </Typography.Text>
      </Space>
      {editable ? null : (
        <Alert type="info" showIcon message={t('rubricEditor.readOnly')} />
      )}
      {error === undefined ? null : (
        <Alert
          type="error"
          showIcon
          message={error.message}
          data-testid="rubric-error"
        />
      )}
      <Card
        size="small"
        title={t('rubricEditor.items')}
        extra={
          <Typography.Text
            type={total === 100 ? 'success' : 'danger'}
            data-testid="rubric-total"
          >
            {t('rubricEditor.total', { total })}
            {total === 100 ? '' : `（${t('rubricEditor.totalHint')}）`}
          </Typography.Text>
        }
      >
        <FieldNote
          message={error?.field === 'items' ? error.message : undefined}
        />
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={draft.items}
          data-testid="rubric-items"
          columns={[
            {
              title: t('rubricEditor.name'),
              width: 160,
              render: (_: unknown, row: ItemRow, index: number) => (
                <Space direction="vertical" size={0}>
                  <Input
                    value={row.name_zh}
                    disabled={!editable}
                    maxLength={20}
                    status={statusAt(error, `items[${index}].name_zh`)}
                    onChange={(e) =>
                      setItem(index, { name_zh: e.target.value })
                    }
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {row.id}
                  </Typography.Text>
                  <FieldNote
                    message={errorAt(error, `items[${index}].name_zh`)}
                  />
                </Space>
              ),
            },
            {
              title: t('rubricEditor.weight'),
              width: 110,
              render: (_: unknown, row: ItemRow, index: number) => (
                <Space direction="vertical" size={0}>
                  <InputNumber
                    value={row.max}
                    disabled={!editable}
                    precision={0}
                    data-testid={`rubric-weight-${row.id}`}
                    status={statusAt(error, `items[${index}].max`)}
                    onChange={(value) => setItem(index, { max: value ?? 0 })}
                  />
                  <FieldNote message={errorAt(error, `items[${index}].max`)} />
                </Space>
              ),
            },
            {
              title: t('rubricEditor.hardFail'),
              width: 90,
              render: (_: unknown, row: ItemRow) =>
                row.hard_fail === true ? (
                  <Tag color="red">{t('rubricEditor.hardFail')}</Tag>
                ) : null,
            },
            {
              title: t('rubricEditor.description'),
              render: (_: unknown, row: ItemRow, index: number) => (
                <Space direction="vertical" size={0} style={{ width: '100%' }}>
                  <Input.TextArea
                    value={row.description_zh}
                    disabled={!editable}
                    autoSize={{ minRows: 1, maxRows: 3 }}
                    maxLength={200}
                    status={statusAt(error, `items[${index}].description_zh`)}
                    onChange={(e) =>
                      setItem(index, { description_zh: e.target.value })
                    }
                  />
                  <FieldNote
                    message={errorAt(error, `items[${index}].description_zh`)}
                  />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('rubricEditor.thresholds')}>
        <Row gutter={12}>
          {THRESHOLDS.map(([key, label, min, max]) => (
            <Col xs={24} md={8} key={key}>
              <Space direction="vertical" size={0}>
                <Typography.Text>{t(label)}</Typography.Text>
                <InputNumber
                  value={draft[key]}
                  min={min}
                  max={max}
                  precision={0}
                  disabled={!editable}
                  status={statusAt(error, key)}
                  onChange={(value) =>
                    setDraft((d) => ({ ...d, [key]: value ?? 0 }))
                  }
                />
                <FieldNote message={errorAt(error, key)} />
              </Space>
            </Col>
          ))}
        </Row>
      </Card>
      <Card size="small" title={t('rubricEditor.phrases')}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('rubricEditor.phrasesHint')}
        </Typography.Paragraph>
        <Collapse
          size="small"
          items={[
            ...RUBRIC_PHRASE_LISTS.map((list) => ({
              key: list,
              label: (
                <Space>
                  {t(`phraseList.${list}` as MessageKey)}
                  <Tag>{draft.phrases[list]?.length ?? 0}</Tag>
                  {errorAt(error, `phrases.${list}`) ? (
                    <Tag color="red">!</Tag>
                  ) : null}
                </Space>
              ),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Select
                    mode="tags"
                    style={{ width: '100%' }}
                    value={draft.phrases[list] ?? []}
                    disabled={!editable}
                    open={false}
                    status={statusAt(error, `phrases.${list}`)}
                    onChange={(value: string[]) =>
                      setDraft((d) => ({
                        ...d,
                        phrases: { ...d.phrases, [list]: value },
                      }))
                    }
                  />
                  <FieldNote message={errorAt(error, `phrases.${list}`)} />
                </Space>
              ),
            })),
            {
              key: 'jargon',
              label: (
                <Space>
                  {t('rubricEditor.jargon')}
                  <Tag>{draft.jargon.length}</Tag>
                </Space>
              ),
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Select
                    mode="tags"
                    style={{ width: '100%' }}
                    value={draft.jargon}
                    disabled={!editable}
                    open={false}
                    status={statusAt(error, 'jargon')}
                    onChange={(value: string[]) =>
                      setDraft((d) => ({ ...d, jargon: value }))
                    }
                  />
                  <FieldNote message={errorAt(error, 'jargon')} />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editable ? (
        <Space>
          <Button
            type="primary"
            loading={saving}
            onClick={() => void save()}
            data-testid="rubric-save"
          >
            {t('rubricEditor.save')}
          </Button>
          <Button
            onClick={() => {
              setDraft(current.rubric);
              setError(undefined);
            }}
          >
            {t('rubricEditor.reset')}
          </Button>
        </Space>
      ) : null}
    </Space>
  );
}

function VersionHistory({ generation }: { generation: number }) {
  const { t } = useI18n();
  const versions = useResource(
    (signal) =>
      getJson<RubricVersionsOutput>('/qa/rubric/versions', { signal }),
    [generation],
  );
  return (
    <Card size="small" title={t('rubricEditor.history')}>
      <AsyncView resource={versions}>
        {(data) => (
          <Table
            size="small"
            rowKey="version"
            pagination={{ pageSize: 10 }}
            data-testid="rubric-versions"
            dataSource={data.items}
            columns={[
              {
                title: t('rubricEditor.colVersion'),
                dataIndex: 'version',
                render: (version: string) => (
                  <Space>
                    {version}
                    {version === data.in_force ? (
                      <Tag color="green">{t('rubricEditor.inForce')}</Tag>
                    ) : null}
                  </Space>
                ),
              },
              {
                title: t('rubricEditor.colSource'),
                dataIndex: 'source',
                render: (source: string) =>
                  source === 'file'
                    ? t('rubricEditor.file')
                    : t('rubricEditor.database'),
              },
              {
                title: t('rubricEditor.colSavedBy'),
                dataIndex: 'created_by',
                render: (by: string | null) => by ?? '-',
              },
              {
                title: t('rubricEditor.colSavedAt'),
                dataIndex: 'created_at',
                render: (at: string | null) => timeText(at),
              },
              { title: t('rubricEditor.colScores'), dataIndex: 'scores' },
            ]}
          />
        )}
      </AsyncView>
    </Card>
  );
}

export function RubricEditor({ editable }: { editable: boolean }) {
  const { t } = useI18n();
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState<string>();
  const rubric = useResource(
    (signal) => getJson<RubricOutput>('/qa/rubric', { signal }),
    [generation],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {notice === undefined ? null : (
        <Alert
          type="success"
          showIcon
          closable
          message={notice}
          data-testid="rubric-saved"
          onClose={() => setNotice(undefined)}
        />
      )}
      <AsyncView resource={rubric}>
        {(current) => (
          <Editor
            current={current}
            editable={editable}
            onSaved={(version) => {
              setNotice(t('rubricEditor.saved', { version }));
              setGeneration((g) => g + 1);
            }}
          />
        )}
      </AsyncView>
      <VersionHistory generation={generation} />
    </Space>
  );
}
