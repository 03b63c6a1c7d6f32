import { Button, List, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { ComplianceFinding } from '../../shared/chat-wire.js';
import { useI18n } from '../../shared/i18n.js';

// How the composer shows the compliance engine's findings: the draft with
// each offending span marked, and one entry per finding with the rule, its
// legal basis and the suggested wording.

function severityColor(severity: ComplianceFinding['severity']) {
  return severity === 'block' ? '#ff4d4f' : '#faad14';
}

/** The draft with the findings' spans marked (overlaps merged, in order). */
export function HighlightedDraft({
  text,
  findings,
}: {
  text: string;
  findings: readonly ComplianceFinding[];
}) {
  const spans = [...findings]
    .filter((f) => f.span[1] > f.span[0])
    .sort((a, b) => a.span[0] - b.span[0]);
  const parts: ReactNode[] = [];
  let at = 0;
  for (const finding of spans) {
    const start = Math.max(finding.span[0], at);
    const end = Math.min(finding.span[1], text.length);
    if (end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark
        key={`${finding.ruleId}-${start}`}
        title={`${finding.ruleId} · ${finding.message}`}
        data-testid="violation-span"
        style={{
          background: `${severityColor(finding.severity)}33`,
          borderBottom: `2px solid ${severityColor(finding.severity)}`,
          padding: 0,
        }}
      >
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return (
    <div
      aria-hidden
      style={{
        background: '#fafafa',
        border: '1px dashed #d9d9d9',
        borderRadius: 6,
        padding: '6px 10px',
        whiteSpace: 'pre-wrap',
        lineHeight: 1.7,
      }}
    >
      {parts}
    </div>
  );
}

export function FindingList({
  findings,
  onReplace,
}: {
  findings: readonly ComplianceFinding[];
  onReplace: (finding: ComplianceFinding) => void;
}) {
  const { t } = useI18n();
  return (
    <List
      size="small"
      bordered
      dataSource={[...findings]}
      data-testid="findings"
      renderItem={(finding) => (
        <List.Item
          key={`${finding.ruleId}-${finding.span[0]}`}
          actions={[
            <Button
              key="replace"
              size="small"
              onClick={() => onReplace(finding)}
            >
              {t('composer.useSuggestion')}
            </Button>,
          ]}
        >
          <Space direction="vertical" size={2} style={{ width: '100%' }}>
            <Space wrap size={4}>
              <Tag
                color={finding.severity === 'block' ? 'red' : 'orange'}
                data-testid="finding-rule"
              >
                {finding.ruleId}
              </Tag>
              <Tag>{finding.category}</Tag>
              <Typography.Text strong>{finding.message}</Typography.Text>
            </Space>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('composer.basis')}：{finding.legalBasis}
            </Typography.Text>
            <Typography.Text style={{ fontSize: 12 }}>
              {t('composer.suggestion')}：{finding.suggestion}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
