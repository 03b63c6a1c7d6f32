import type { Fen } from '../money/fen.js';
import { compareRate, type Rate, rate } from '../money/rate.js';
import { divRound } from '../money/rounding.js';
import { assert } from '../shared/assert.js';
import { err, ok, type Result } from '../shared/result.js';
import {
  EMPLOYMENT_TYPES,
  type EmploymentType,
  type MaxBand,
  type MinBand,
  RISK_SIGNALS,
  type RiskSignal,
  type ScorecardPolicy,
} from './scorecard-policy.js';

// A transparent points scorecard for credit assessment (信用评估评分卡). Each
// factor scores on its own band table, every line carries a zh-CN reason the
// reviewer can read back to the applicant, and a few facts refuse the
// application outright whatever the points (硬性拒绝 / knock-outs). Pure: the
// caller brings the credit-report facts and the new installment from the
// loan engine.

export type CreditFacts = {
  readonly monthlyIncomeFen: Fen;
  /** Monthly repayments on other debts, from the credit report (征信). */
  readonly existingMonthlyDebtFen: Fen;
  /** The installment of the loan applied for, from the loan engine. */
  readonly newInstallmentFen: Fen;
  /** Amount overdue right now on the credit report (当前逾期金额). */
  readonly currentOverdueFen: Fen;
  /** Overdue records in the last 24 months (近24个月逾期次数). */
  readonly overdueCount24Months: number;
  /** Hard inquiries (loan and card approvals) in the last 6 months. */
  readonly hardInquiries6Months: number;
  readonly employment: EmploymentType;
  /** Months in the current job or business. */
  readonly tenureMonths: number;
  readonly riskSignals: readonly RiskSignal[];
};

export type ScoreFactor =
  | 'monthly_income'
  | 'debt_to_income'
  | 'current_overdue'
  | 'overdue_count_24m'
  | 'hard_inquiries_6m'
  | 'employment'
  | 'tenure'
  | `risk_signal.${RiskSignal}`;

export type KnockOut =
  | 'income_below_minimum'
  | 'dti_above_maximum'
  | 'current_overdue'
  | 'overdue_count_excessive'
  | `risk_signal.${RiskSignal}`;

export type ScoreItem = {
  readonly factor: ScoreFactor;
  readonly points: number;
  readonly reasonZh: string;
  /** Set when this fact refuses the application whatever the points. */
  readonly knockOut?: KnockOut;
  /** Set when this fact sends the application to a person. */
  readonly refer?: true;
};

export type CreditDecision = 'approve' | 'manual_review' | 'reject';

export type Scorecard = {
  readonly policyVersion: string;
  readonly totalPoints: number;
  readonly decision: CreditDecision;
  /** Debt-to-income with the new installment, in per mille (rounded half
   * up); undefined without income. */
  readonly dtiPermille: number | undefined;
  readonly items: readonly ScoreItem[];
  readonly knockOuts: readonly KnockOut[];
  /** Why the decision is what it is, in zh-CN (the rejection reasons). */
  readonly decisionReasonsZh: readonly string[];
};

export type ScorecardError =
  | { readonly code: 'scorecard.count_out_of_range'; readonly field: string }
  | { readonly code: 'scorecard.amount_negative'; readonly field: string }
  | { readonly code: 'scorecard.unknown_value'; readonly field: string };

// Bounds: a credit report shows at most a few hundred records; a tenure is
// at most a working life.
export const CREDIT_COUNT_MAX = 1_000;
export const TENURE_MONTHS_MAX = 600;

/** Yuan with thousands separators, e.g. 12,000.00 (reasons only). */
function yuanZh(amountFen: bigint): string {
  const negative = amountFen < 0n;
  const abs = negative ? -amountFen : amountFen;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${cents}`;
}

function percentZh(r: Rate): string {
  const tenths = divRound(r.numerator * 1000n, r.denominator, 'half_up');
  return `${tenths / 10n}.${tenths % 10n}%`;
}

function minBand<T>(
  bands: readonly MinBand<T>[],
  atLeast: (min: T) => boolean,
): MinBand<T> | undefined {
  return bands.find((band) => atLeast(band.min));
}

function maxBand<T>(
  bands: readonly MaxBand<T>[],
  atMost: (max: T) => boolean,
): MaxBand<T> | undefined {
  return bands.find((band) => atMost(band.max));
}

function validate(facts: CreditFacts): Result<void, ScorecardError> {
  const amounts = [
    ['monthly_income', facts.monthlyIncomeFen],
    ['existing_monthly_debt', facts.existingMonthlyDebtFen],
    ['new_installment', facts.newInstallmentFen],
    ['current_overdue', facts.currentOverdueFen],
  ] as const;
  for (const [field, value] of amounts)
    if (value < 0n) return err({ code: 'scorecard.amount_negative', field });
  const counts = [
    ['overdue_count_24m', facts.overdueCount24Months, CREDIT_COUNT_MAX],
    ['hard_inquiries_6m', facts.hardInquiries6Months, CREDIT_COUNT_MAX],
    ['tenure_months', facts.tenureMonths, TENURE_MONTHS_MAX],
  ] as const;
  for (const [field, value, max] of counts)
    if (!Number.isInteger(value) || value < 0 || value > max)
      return err({ code: 'scorecard.count_out_of_range', field });
  if (!EMPLOYMENT_TYPES.includes(facts.employment))
    return err({ code: 'scorecard.unknown_value', field: 'employment' });
  if (
    !facts.riskSignals.every((s) => RISK_SIGNALS.includes(s)) ||
    new Set(facts.riskSignals).size !== facts.riskSignals.length
  )
    return err({ code: 'scorecard.unknown_value', field: 'risk_signals' });
  return ok(undefined);
}

function incomeItem(facts: CreditFacts, policy: ScorecardPolicy): ScoreItem {
  const income = facts.monthlyIncomeFen;
  if (income < policy.incomeFenMin)
    return {
      factor: 'monthly_income',
      points: 0,
      reasonZh: `月收入 ${yuanZh(income)} 元，低于准入下限 ${yuanZh(policy.incomeFenMin)} 元（硬性拒绝）`,
      knockOut: 'income_below_minimum',
    };
  const band = minBand(policy.incomeBands, (min) => income >= min);
  assert(band !== undefined, 'scorecard: income bands must end at 0');
  return {
    factor: 'monthly_income',
    points: band.points,
    reasonZh: `月收入 ${yuanZh(income)} 元，属 ${yuanZh(band.min)} 元及以上档，得 ${band.points} 分`,
  };
}

function dtiOf(facts: CreditFacts): Rate | undefined {
  if (facts.monthlyIncomeFen === 0n) return undefined;
  return rate(
    facts.existingMonthlyDebtFen + facts.newInstallmentFen,
    facts.monthlyIncomeFen,
  );
}

function dtiItem(facts: CreditFacts, policy: ScorecardPolicy): ScoreItem {
  const dti = dtiOf(facts);
  const debtZh = `月还款合计 ${yuanZh(facts.existingMonthlyDebtFen + facts.newInstallmentFen)} 元（含本笔月供 ${yuanZh(facts.newInstallmentFen)} 元）`;
  if (dti === undefined || compareRate(dti, policy.dtiMax) > 0)
    return {
      factor: 'debt_to_income',
      points: 0,
      reasonZh: `${debtZh}，负债收入比 ${dti === undefined ? '无法计算（无收入）' : percentZh(dti)}，超过上限 ${percentZh(policy.dtiMax)}（硬性拒绝）`,
      knockOut: 'dti_above_maximum',
    };
  const band = maxBand(policy.dtiBands, (max) => compareRate(dti, max) <= 0);
  assert(band !== undefined, 'scorecard: DTI bands must reach dtiMax');
  return {
    factor: 'debt_to_income',
    points: band.points,
    reasonZh: `${debtZh}，负债收入比 ${percentZh(dti)}，不超过 ${percentZh(band.max)}，得 ${band.points} 分`,
  };
}

function historyItems(
  facts: CreditFacts,
  policy: ScorecardPolicy,
): ScoreItem[] {
  const items: ScoreItem[] = [];
  if (facts.currentOverdueFen > policy.currentOverdueFenMax)
    items.push({
      factor: 'current_overdue',
      points: 0,
      reasonZh: `征信报告显示当前逾期 ${yuanZh(facts.currentOverdueFen)} 元（硬性拒绝）`,
      knockOut: 'current_overdue',
    });
  const count = facts.overdueCount24Months;
  const band = maxBand(policy.overdueCountBands, (max) => count <= max);
  items.push(
    band === undefined
      ? {
          factor: 'overdue_count_24m',
          points: 0,
          reasonZh: `近24个月逾期 ${count} 次，超过可接受次数（硬性拒绝）`,
          knockOut: 'overdue_count_excessive',
        }
      : {
          factor: 'overdue_count_24m',
          points: band.points,
          reasonZh: `近24个月逾期 ${count} 次，得 ${band.points} 分`,
        },
  );
  const inquiries = facts.hardInquiries6Months;
  const inquiryBand = maxBand(policy.inquiryBands, (max) => inquiries <= max);
  const points = inquiryBand?.points ?? 0;
  const refer = inquiries > policy.inquiriesReferAbove;
  items.push({
    factor: 'hard_inquiries_6m',
    points,
    reasonZh: `近6个月贷款及信用卡审批查询 ${inquiries} 次，得 ${points} 分${refer ? '；查询过于频繁，转人工复核' : ''}`,
    ...(refer ? { refer: true as const } : {}),
  });
  return items;
}

const EMPLOYMENT_ZH: Record<EmploymentType, string> = {
  civil_servant: '公务员/事业单位',
  salaried: '企业在职',
  self_employed: '个体经营/企业主',
  freelance: '自由职业',
  retired: '退休',
  unemployed: '无业',
};

const RISK_SIGNAL_ZH: Record<RiskSignal, string> = {
  fraud_list_hit: '命中反欺诈名单',
  identity_mismatch: '身份核验信息不一致',
  court_enforcement: '列入失信被执行人名单',
  multi_lender_borrowing: '存在多头借贷',
  device_anomaly: '申请设备或环境异常',
};

function workItems(facts: CreditFacts, policy: ScorecardPolicy): ScoreItem[] {
  const employmentPoints = policy.employmentPoints[facts.employment];
  const tenure = minBand(
    policy.tenureBands,
    (min) => facts.tenureMonths >= min,
  );
  assert(tenure !== undefined, 'scorecard: tenure bands must end at 0');
  return [
    {
      factor: 'employment',
      points: employmentPoints,
      reasonZh: `职业类型：${EMPLOYMENT_ZH[facts.employment]}，得 ${employmentPoints} 分`,
    },
    {
      factor: 'tenure',
      points: tenure.points,
      reasonZh: `现单位/经营年限 ${facts.tenureMonths} 个月，得 ${tenure.points} 分`,
    },
  ];
}

function riskItems(facts: CreditFacts, policy: ScorecardPolicy): ScoreItem[] {
  return RISK_SIGNALS.filter((s) => facts.riskSignals.includes(s)).map(
    (signal): ScoreItem => {
      const effect = policy.riskSignals[signal];
      const factor = `risk_signal.${signal}` as const;
      const what = RISK_SIGNAL_ZH[signal];
      if (effect.kind === 'knock_out')
        return {
          factor,
          points: 0,
          reasonZh: `${what}（硬性拒绝）`,
          knockOut: factor,
        };
      if (effect.kind === 'refer')
        return {
          factor,
          points: 0,
          reasonZh: `${what}，转人工复核`,
          refer: true,
        };
      return {
        factor,
        points: effect.points,
        reasonZh: `${what}，扣 ${-effect.points} 分`,
      };
    },
  );
}

/**
 * Scores an application: every factor's points and reason, the knock-outs,
 * and the decision (a knock-out rejects; otherwise the total against the
 * policy's cut-offs, with referrals going to manual review).
 *
 * @example
 * scoreApplication(facts, DEFAULT_SCORECARD_POLICY);
 * // { ok: true, value: { totalPoints: 83, decision: 'approve', … } }
 */
export function scoreApplication(
  facts: CreditFacts,
  policy: ScorecardPolicy,
): Result<Scorecard, ScorecardError> {
  assert(
    policy.reviewPointsMin <= policy.approvePointsMin,
    'scorecard policy: review cut-off above approval cut-off',
  );
  const valid = validate(facts);
  if (!valid.ok) return valid;
  const items = [
    incomeItem(facts, policy),
    dtiItem(facts, policy),
    ...historyItems(facts, policy),
    ...workItems(facts, policy),
    ...riskItems(facts, policy),
  ];
  const totalPoints = Math.max(
    0,
    items.reduce((sum, item) => sum + item.points, 0),
  );
  const knockOuts = items.flatMap((i) =>
    i.knockOut === undefined ? [] : [i.knockOut],
  );
  const dti = dtiOf(facts);
  const dtiPermille =
    dti === undefined
      ? undefined
      : Number(divRound(dti.numerator * 1000n, dti.denominator, 'half_up'));
  const { decision, decisionReasonsZh } = decide(items, totalPoints, policy);
  return ok({
    policyVersion: policy.version,
    totalPoints,
    decision,
    dtiPermille,
    items,
    knockOuts,
    decisionReasonsZh,
  });
}

function decide(
  items: readonly ScoreItem[],
  totalPoints: number,
  policy: ScorecardPolicy,
): { decision: CreditDecision; decisionReasonsZh: string[] } {
  const knockedOut = items.filter((i) => i.knockOut !== undefined);
  if (knockedOut.length > 0)
    return {
      decision: 'reject',
      decisionReasonsZh: knockedOut.map((i) => i.reasonZh),
    };
  if (totalPoints < policy.reviewPointsMin)
    return {
      decision: 'reject',
      decisionReasonsZh: [
        `综合评分 ${totalPoints} 分，低于准入分数 ${policy.reviewPointsMin} 分`,
      ],
    };
  const referred = items.filter((i) => i.refer === true);
  if (referred.length > 0 || totalPoints < policy.approvePointsMin)
    return {
      decision: 'manual_review',
      decisionReasonsZh: [
        ...(totalPoints < policy.approvePointsMin
          ? [
              `综合评分 ${totalPoints} 分，介于 ${policy.reviewPointsMin} 与 ${policy.approvePointsMin} 分之间，需人工复核`,
            ]
          : []),
        ...referred.map((i) => i.reasonZh),
      ],
    };
  return {
    decision: 'approve',
    decisionReasonsZh: [
      `综合评分 ${totalPoints} 分，达到自动通过分数 ${policy.approvePointsMin} 分`,
    ],
  };
}

/** The scorecard as plain JSON for storage and the wire (no bigint). */
export function scorecardRecord(card: Scorecard) {
  return {
    policy_version: card.policyVersion,
    total_points: card.totalPoints,
    decision: card.decision,
    dti_permille: card.dtiPermille ?? null,
    knock_outs: [...card.knockOuts],
    decision_reasons: [...card.decisionReasonsZh],
    items: card.items.map((i) => ({
      factor: i.factor,
      points: i.points,
      reason: i.reasonZh,
      knock_out: i.knockOut ?? null,
      refer: i.refer === true,
    })),
  };
}
