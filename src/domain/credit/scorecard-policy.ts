import { type Fen, fen } from '../money/fen.js';
import { type Rate, rate } from '../money/rate.js';

// The credit scorecard's thresholds as data (评分卡参数): every band, cut-off
// and knock-out lives here, so a credit policy change is a data change that
// the tests read back, not an edit of the scoring code.

export type EmploymentType =
  | 'civil_servant' // 公务员/事业单位
  | 'salaried' // 企业在职
  | 'self_employed' // 个体经营/企业主
  | 'freelance' // 自由职业
  | 'retired' // 退休
  | 'unemployed'; // 无业

export const EMPLOYMENT_TYPES: readonly EmploymentType[] = [
  'civil_servant',
  'salaried',
  'self_employed',
  'freelance',
  'retired',
  'unemployed',
];

export type RiskSignal =
  | 'fraud_list_hit' // 命中反欺诈名单
  | 'identity_mismatch' // 身份核验不一致
  | 'court_enforcement' // 失信被执行人
  | 'multi_lender_borrowing' // 多头借贷
  | 'device_anomaly'; // 设备/环境异常

export const RISK_SIGNALS: readonly RiskSignal[] = [
  'fraud_list_hit',
  'identity_mismatch',
  'court_enforcement',
  'multi_lender_borrowing',
  'device_anomaly',
];

/** What a risk signal does: refuse outright, send to a person, or cost points. */
export type RiskSignalEffect =
  | { readonly kind: 'knock_out' }
  | { readonly kind: 'refer' }
  | { readonly kind: 'points'; readonly points: number };

/** A band that applies when the value is at least `min`. Highest first. */
export type MinBand<T> = { readonly min: T; readonly points: number };
/** A band that applies when the value is at most `max`. Lowest first. */
export type MaxBand<T> = { readonly max: T; readonly points: number };

export type ScorecardPolicy = {
  readonly version: string;
  /** Below this monthly income the application is refused (准入收入下限). */
  readonly incomeFenMin: Fen;
  readonly incomeBands: readonly MinBand<Fen>[];
  /** Debt-to-income above this (new installment included) is refused. */
  readonly dtiMax: Rate;
  readonly dtiBands: readonly MaxBand<Rate>[];
  /** Any amount currently overdue on the credit report is refused. */
  readonly currentOverdueFenMax: Fen;
  readonly overdueCountBands: readonly MaxBand<number>[];
  readonly inquiryBands: readonly MaxBand<number>[];
  /** More hard inquiries than this in 6 months goes to a person (多头查询). */
  readonly inquiriesReferAbove: number;
  readonly employmentPoints: Readonly<Record<EmploymentType, number>>;
  readonly tenureBands: readonly MinBand<number>[];
  readonly riskSignals: Readonly<Record<RiskSignal, RiskSignalEffect>>;
  /** Total points needed for approval. */
  readonly approvePointsMin: number;
  /** Below this total the application is refused; between, manual review. */
  readonly reviewPointsMin: number;
};

/**
 * LoanDesk's default consumer-credit scorecard: 100 points at most (income
 * 25, DTI 25, repayment history 20, inquiries 10, employment 10, tenure 10).
 */
export const DEFAULT_SCORECARD_POLICY: ScorecardPolicy = {
  version: 'consumer-2026-11',
  // 2,000 yuan a month: below it a consumer loan is not affordable.
  incomeFenMin: fen(2_000_00n),
  incomeBands: [
    { min: fen(20_000_00n), points: 25 },
    { min: fen(10_000_00n), points: 20 },
    { min: fen(5_000_00n), points: 14 },
    { min: fen(3_000_00n), points: 8 },
    { min: fen(0n), points: 3 },
  ],
  // Basis: common bank practice caps total monthly debt service at about
  // half of income (the 55 % here is this policy's choice, not a rule).
  dtiMax: rate(55n, 100n),
  dtiBands: [
    { max: rate(30n, 100n), points: 25 },
    { max: rate(40n, 100n), points: 18 },
    { max: rate(50n, 100n), points: 10 },
    { max: rate(55n, 100n), points: 4 },
  ],
  currentOverdueFenMax: fen(0n),
  overdueCountBands: [
    { max: 0, points: 20 },
    { max: 1, points: 14 },
    { max: 3, points: 6 },
    { max: 6, points: 0 },
  ],
  inquiryBands: [
    { max: 2, points: 10 },
    { max: 4, points: 6 },
    { max: 6, points: 2 },
  ],
  inquiriesReferAbove: 10,
  employmentPoints: {
    civil_servant: 10,
    salaried: 8,
    self_employed: 5,
    retired: 5,
    freelance: 3,
    unemployed: 0,
  },
  tenureBands: [
    { min: 36, points: 10 },
    { min: 24, points: 8 },
    { min: 12, points: 5 },
    { min: 6, points: 2 },
    { min: 0, points: 0 },
  ],
  riskSignals: {
    fraud_list_hit: { kind: 'knock_out' },
    identity_mismatch: { kind: 'knock_out' },
    court_enforcement: { kind: 'knock_out' },
    multi_lender_borrowing: { kind: 'points', points: -15 },
    device_anomaly: { kind: 'refer' },
  },
  approvePointsMin: 70,
  reviewPointsMin: 50,
};
