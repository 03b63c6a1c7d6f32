// Proves the scorecard scores each factor on its band table, names every
// knock-out, and decides by the policy's cut-offs; the thresholds are read
// from the policy data, so a policy change moves the outcome.
import { describe, expect, it } from 'vitest';
import { fen } from '../money/fen.js';
import { rate } from '../money/rate.js';
import {
  type CreditFacts,
  scoreApplication,
  scorecardRecord,
} from './scorecard.js';
import { DEFAULT_SCORECARD_POLICY } from './scorecard-policy.js';

const GOOD: CreditFacts = {
  monthlyIncomeFen: fen(12_000_00n),
  existingMonthlyDebtFen: fen(1_000_00n),
  newInstallmentFen: fen(1_037_00n),
  currentOverdueFen: fen(0n),
  overdueCount24Months: 0,
  hardInquiries6Months: 1,
  employment: 'salaried',
  tenureMonths: 40,
  riskSignals: [],
};

function score(facts: Partial<CreditFacts>, policy = DEFAULT_SCORECARD_POLICY) {
  const result = scoreApplication({ ...GOOD, ...facts }, policy);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

describe('credit scorecard', () => {
  it('approves a strong applicant and explains every factor in Chinese', () => {
    const card = score({});
    // income 20 + DTI 25 (17.0 %) + history 20 + inquiries 10 + salaried 8 + tenure 10
    expect(card.totalPoints).toBe(93);
    expect(card.decision).toBe('approve');
    expect(card.dtiPermille).toBe(170);
    expect(card.knockOuts).toEqual([]);
    expect(card.items.map((i) => [i.factor, i.points])).toEqual([
      ['monthly_income', 20],
      ['debt_to_income', 25],
      ['overdue_count_24m', 20],
      ['hard_inquiries_6m', 10],
      ['employment', 8],
      ['tenure', 10],
    ]);
    expect(card.items[0]?.reasonZh).toBe(
      '月收入 12,000.00 元，属 10,000.00 元及以上档，得 20 分',
    );
    expect(card.items[1]?.reasonZh).toContain('负债收入比 17.0%');
  });

  it.each<[string, Partial<CreditFacts>, string]>([
    [
      'DTI above 55 %',
      { existingMonthlyDebtFen: fen(6_000_00n) },
      'dti_above_maximum',
    ],
    ['current overdue', { currentOverdueFen: fen(1n) }, 'current_overdue'],
    [
      'income below 2,000 yuan',
      {
        monthlyIncomeFen: fen(1_999_99n),
        existingMonthlyDebtFen: fen(0n),
        newInstallmentFen: fen(500_00n),
      },
      'income_below_minimum',
    ],
    [
      'seven overdues in 24 months',
      { overdueCount24Months: 7 },
      'overdue_count_excessive',
    ],
    [
      'fraud list',
      { riskSignals: ['fraud_list_hit'] },
      'risk_signal.fraud_list_hit',
    ],
    [
      'court enforcement',
      { riskSignals: ['court_enforcement'] },
      'risk_signal.court_enforcement',
    ],
  ])('rejects on a knock-out: %s', (_name, facts, knockOut) => {
    const card = score(facts);
    expect(card.decision).toBe('reject');
    expect(card.knockOuts).toEqual([knockOut]);
    expect(card.decisionReasonsZh.join('')).toContain('硬性拒绝');
  });

  it('knocks out at a DTI just above the maximum and not at it', () => {
    // 12,000 income: 55 % is 6,600.00 of monthly debt.
    const at = score({ existingMonthlyDebtFen: fen(5_563_00n) });
    expect(at.knockOuts).toEqual([]);
    const above = score({ existingMonthlyDebtFen: fen(5_563_01n) });
    expect(above.knockOuts).toEqual(['dti_above_maximum']);
  });

  it('sends a middling score or a referral signal to manual review', () => {
    const middling = score({
      monthlyIncomeFen: fen(4_000_00n),
      newInstallmentFen: fen(600_00n),
      existingMonthlyDebtFen: fen(1_000_00n),
      overdueCount24Months: 2,
      employment: 'freelance',
      tenureMonths: 12,
    });
    // income 8 + DTI 18 (40.0 %) + history 6 + inquiries 10 + freelance 3 + tenure 5 = 50
    expect(middling.totalPoints).toBe(50);
    expect(middling.decision).toBe('manual_review');
    const referred = score({ riskSignals: ['device_anomaly'] });
    expect(referred.totalPoints).toBeGreaterThanOrEqual(70);
    expect(referred.decision).toBe('manual_review');
    expect(referred.decisionReasonsZh).toEqual([
      '申请设备或环境异常，转人工复核',
    ]);
    const inquiries = score({ hardInquiries6Months: 11 });
    expect(inquiries.decision).toBe('manual_review');
  });

  it('rejects a score below the review cut-off and says so', () => {
    const card = score({
      monthlyIncomeFen: fen(2_500_00n),
      newInstallmentFen: fen(800_00n),
      existingMonthlyDebtFen: fen(500_00n),
      overdueCount24Months: 3,
      hardInquiries6Months: 8,
      employment: 'unemployed',
      tenureMonths: 0,
      riskSignals: ['multi_lender_borrowing'],
    });
    expect(card.totalPoints).toBeLessThan(50);
    expect(card.decision).toBe('reject');
    expect(card.knockOuts).toEqual([]);
    expect(card.decisionReasonsZh[0]).toMatch(
      /^综合评分 \d+ 分，低于准入分数 50 分$/,
    );
  });

  it('follows the policy data: a lower DTI ceiling knocks out the same applicant', () => {
    const strict = { ...DEFAULT_SCORECARD_POLICY, dtiMax: rate(15n, 100n) };
    expect(score({}, strict).knockOuts).toEqual(['dti_above_maximum']);
    const lenient = { ...DEFAULT_SCORECARD_POLICY, approvePointsMin: 95 };
    expect(score({}, lenient).decision).toBe('manual_review');
  });

  it('refuses facts outside their bounds with the field named', () => {
    const bad = scoreApplication(
      { ...GOOD, hardInquiries6Months: -1 },
      DEFAULT_SCORECARD_POLICY,
    );
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'scorecard.count_out_of_range',
        field: 'hard_inquiries_6m',
      },
    });
    const dup = scoreApplication(
      { ...GOOD, riskSignals: ['device_anomaly', 'device_anomaly'] },
      DEFAULT_SCORECARD_POLICY,
    );
    expect(dup.ok).toBe(false);
  });

  it('records as plain JSON with the reasons', () => {
    const record = scorecardRecord(
      score({ riskSignals: ['multi_lender_borrowing'] }),
    );
    expect(record.total_points).toBe(78);
    expect(record.items.at(-1)).toEqual({
      factor: 'risk_signal.multi_lender_borrowing',
      points: -15,
      reason: '存在多头借贷，扣 15 分',
      knock_out: null,
      refer: false,
    });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });
});
