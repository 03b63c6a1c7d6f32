import {
  CheckCircleOutlined,
  ExclamationCircleOutlined,
} from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Modal,
  Row,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { errorText, postJson } from '../../shared/api.js';
import { Chart } from '../../shared/chart.js';
import { chartYuan, percentOfRatio, yuanText } from '../../shared/format.js';
import { type MessageKey, useI18n } from '../../shared/i18n.js';
import { useSession } from '../../shared/session.js';
import type { Agreement, Plan, Plans } from './negotiation-wire.js';

// The ranked plans side by side, a chart of monthly burden against total
// paid, and signing. A plan outside the policy needs a supervisor's
// approval first; signing carries an Idempotency-Key, so a double click or a
// retry books one agreement.

const KIND_KEYS: Record<string, MessageKey> = {
  reamortize: 'plan.reamortize',
  stop_interest: 'plan.stop_interest',
  waiver: 'plan.waiver',
  settlement: 'plan.settlement',
  extension: 'plan.extension',
};

function ratioPercent(ratio: string | null): string {
  if (ratio === null) return '—';
  const match = /^(\d+)\.(\d+)$/.exec(ratio);
  if (match === null) return ratio;
  return percentOfRatio(
    `${match[1]}.${(match[2] ?? '').padEnd(4, '0').slice(0, 4)}`,
  );
}

function PlanCard({
  plan,
  onSign,
  onApprove,
}: {
  plan: Plan;
  onSign: ((plan: Plan) => void) | undefined;
  onApprove: ((plan: Plan) => void) | undefined;
}) {
  const { t } = useI18n();
  const actions = [];
  if (onSign !== undefined)
    actions.push(
      <Button
        key="sign"
        type={plan.rank === 1 ? 'primary' : 'default'}
        onClick={() => onSign(plan)}
      >
        {t('plan.sign')}
      </Button>,
    );
  if (onApprove !== undefined && !plan.within_policy)
    actions.push(
      <Button key="approve" onClick={() => onApprove(plan)}>
        {t('plan.approve')}
      </Button>,
    );
  const label = KIND_KEYS[plan.kind];
  return (
    <Card
      size="small"
      data-testid="plan-card"
      title={
        <Space>
          <Tag color="blue">#{plan.rank}</Tag>
          {label === undefined ? plan.kind : t(label)}
        </Space>
      }
      extra={
        plan.within_policy ? (
          <Tag color="green" icon={<CheckCircleOutlined />}>
            {t('plan.withinPolicy')}
          </Tag>
        ) : (
          <Tag color="orange" icon={<ExclamationCircleOutlined />}>
            {t('plan.outsidePolicy')}
          </Tag>
        )
      }
      actions={actions}
    >
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('plan.months')}>
          {plan.months}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.first')}>
          {yuanText(plan.first_payment)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.monthly')}>
          <Typography.Text strong>
            {yuanText(plan.monthly_payment)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.totalPaid')}>
          {yuanText(plan.total_paid)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.waived')}>
          {yuanText(plan.waived)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.share')}>
          {ratioPercent(plan.share_of_disposable_income)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.likelihood')}>
          {ratioPercent(plan.completion_likelihood)}
        </Descriptions.Item>
        <Descriptions.Item label={t('plan.recovery')}>
          {yuanText(plan.recovery_value)}
        </Descriptions.Item>
      </Descriptions>
      {plan.policy_breaches.length > 0 && (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {plan.policy_breaches.join('；')}
        </Typography.Text>
      )}
    </Card>
  );
}

function plansChart(
  t: ReturnType<typeof useI18n>['t'],
  plans: readonly Plan[],
) {
  const names = plans.map((p) => {
    const key = KIND_KEYS[p.kind];
    return `#${p.rank} ${key === undefined ? p.kind : t(key)}`;
  });
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 16 },
    grid: { left: 72, right: 72, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: names },
    yAxis: [
      { type: 'value', name: t('plan.monthly') },
      { type: 'value', name: t('plan.totalPaid') },
    ],
    series: [
      {
        name: t('plan.monthly'),
        type: 'bar',
        data: plans.map((p) => chartYuan(p.monthly_payment)),
        itemStyle: { color: '#1677ff' },
      },
      {
        name: t('plan.totalPaid'),
        type: 'line',
        yAxisIndex: 1,
        data: plans.map((p) => chartYuan(p.total_paid)),
        itemStyle: { color: '#fa8c16' },
      },
    ],
  };
}

export function PlanBoard({
  plans,
  budget,
}: {
  plans: Plans;
  budget: { income?: string; expenses: string };
}) {
  const { t } = useI18n();
  const { user } = useSession();
  const [signing, setSigning] = useState<Plan>();
  const [approving, setApproving] = useState<Plan>();
  const [approvalReason, setApprovalReason] = useState('');
  const [approvalId, setApprovalId] = useState('');
  const [approved, setApproved] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [signed, setSigned] = useState<Agreement>();
  // One key per signing attempt: a retry of the same attempt books once.
  const [key, setKey] = useState('');
  const openSign = (plan: Plan) => {
    setKey(crypto.randomUUID());
    setSigning(plan);
  };
  const option = useMemo(() => plansChart(t, plans.plans), [t, plans.plans]);
  const canApprove = user?.roles.includes('supervisor') ?? false;
  const canSign = user?.roles.includes('negotiator') ?? false;
  if (plans.plans.length === 0)
    return <Empty description={t('negotiation.noPlans')} />;
  const sign = async () => {
    if (signing === undefined) return;
    setBusy(true);
    setError(undefined);
    const path = `/loans/${encodeURIComponent(plans.loan_no)}/negotiation`;
    try {
      const approval = signing.within_policy ? '' : approvalId.trim();
      const agreement = await postJson<Agreement>(
        `${path}/agreements`,
        {
          terms: signing.terms,
          expenses: budget.expenses,
          ...(budget.income === undefined ? {} : { income: budget.income }),
          ...(approval === '' ? {} : { approval_id: approval }),
        },
        { headers: { 'idempotency-key': `web-${key}` } },
      );
      setSigned(agreement);
      setSigning(undefined);
    } catch (caught) {
      setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setBusy(false);
    }
  };
  const approve = async () => {
    if (approving === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const approval = await postJson<{ approval_id: string }>(
        `/loans/${encodeURIComponent(plans.loan_no)}/negotiation/approvals`,
        { terms: approving.terms, reason: approvalReason.trim() },
      );
      setApproved(approval.approval_id);
      setApproving(undefined);
      setApprovalReason('');
    } catch (caught) {
      setError(errorText(caught, t('state.errorRetry')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {approved !== undefined && (
        <Alert
          type="success"
          showIcon
          message={t('plan.approved')}
          description={<Typography.Text copyable>{approved}</Typography.Text>}
        />
      )}
      {signed !== undefined && (
        <Alert
          type="success"
          showIcon
          data-testid="agreement-signed"
          message={t('plan.signed', { no: signed.agreement_no })}
          description={
            <Space direction="vertical">
              <span>
                {t('plan.signedDetail', {
                  months: signed.months,
                  total: yuanText(signed.total_paid),
                  first: yuanText(signed.due_at_signing),
                })}
              </span>
              <a href={signed.document_url} target="_blank" rel="noreferrer">
                {t('plan.document')}
              </a>
            </Space>
          }
        />
      )}
      <Card size="small" title={t('plan.chart')}>
        <Chart
          option={option}
          testId="plans-chart"
          ariaLabel={t('plan.chart')}
          height={280}
        />
      </Card>
      <Row
        gutter={[12, 12]}
        wrap={false}
        style={{ overflowX: 'auto', paddingBottom: 8 }}
      >
        {plans.plans.map((plan) => (
          <Col
            key={`${plan.kind}-${plan.months}-${plan.rank}`}
            flex="0 0 260px"
          >
            <PlanCard
              plan={plan}
              onSign={canSign ? openSign : undefined}
              onApprove={canApprove ? setApproving : undefined}
            />
          </Col>
        ))}
      </Row>
      <Modal
        open={signing !== undefined}
        title={t('plan.confirmTitle')}
        okText={t('plan.confirmSign')}
        cancelText={t('action.cancel')}
        confirmLoading={busy}
        okButtonProps={{
          disabled:
            signing !== undefined &&
            !signing.within_policy &&
            approvalId.trim() === '',
        }}
        onOk={() => void sign()}
        onCancel={() => {
          setSigning(undefined);
          setError(undefined);
        }}
      >
        {signing !== undefined && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text>
              {t('plan.confirmText', {
                months: signing.months,
                monthly: yuanText(signing.monthly_payment),
                total: yuanText(signing.total_paid),
              })}
            </Typography.Text>
            {!signing.within_policy && (
              <>
                <Alert
                  type="warning"
                  showIcon
                  message={t('plan.needsApproval')}
                />
                <Input
                  value={approvalId}
                  onChange={(event) => setApprovalId(event.target.value)}
                  placeholder={t('plan.approvalId')}
                  aria-label={t('plan.approvalId')}
                />
              </>
            )}
            {error !== undefined && (
              <Alert type="error" showIcon message={error} />
            )}
          </Space>
        )}
      </Modal>
      <Modal
        open={approving !== undefined}
        title={t('plan.approveTitle')}
        okText={t('plan.approve')}
        cancelText={t('action.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: approvalReason.trim() === '' }}
        onOk={() => void approve()}
        onCancel={() => {
          setApproving(undefined);
          setError(undefined);
        }}
      >
        {approving !== undefined && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="warning">
              {approving.policy_breaches.join('；')}
            </Typography.Text>
            <Input.TextArea
              value={approvalReason}
              onChange={(event) => setApprovalReason(event.target.value)}
              placeholder={t('plan.approvalReason')}
              maxLength={500}
            />
            {error !== undefined && (
              <Alert type="error" showIcon message={error} />
            )}
          </Space>
        )}
      </Modal>
    </Space>
  );
}
