import type { Command } from 'commander';
import { formatFen } from '../../../contracts/money.js';
import {
  ALLOCATION_ORDERS,
  allocationPolicyFor,
} from '../../../domain/loan/allocation/allocation-policy.js';
import {
  type ClassificationPolicy,
  CREDIT_CARD_CLASSIFICATION_POLICY,
  DEFAULT_CLASSIFICATION_POLICY,
} from '../../../domain/loan/delinquency/classification.js';
import {
  type OverdueAmountError,
  penaltyOnOverdueAmount,
} from '../../../domain/loan/delinquency/overdue-amount.js';
import {
  DEFAULT_PENALTY_POLICY,
  GRACE_DAYS_MAX,
  GRACE_STARTS,
  type LateFee,
  type PenaltyPolicy,
} from '../../../domain/loan/delinquency/penalty-policy.js';
import {
  type Payment,
  type PenaltyPolicies,
  type PenaltyReport,
  penaltyToDate,
} from '../../../domain/loan/delinquency/penalty-to-date.js';
import { ZERO_FEN } from '../../../domain/money/fen.js';
import { formatRate } from '../../../domain/money/rate.js';
import { ROUNDINGS } from '../../../domain/money/rounding.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import {
  OVERDUE_DAYS_MAX,
  PAYMENTS_MAX,
} from '../../../domain/shared/limits.js';
import type { Result } from '../../../domain/shared/result.js';
import { todayInChina } from '../../clock/today.js';
import {
  readChoice,
  readDate,
  readInteger,
  readRate,
} from '../../wire/schedule-codec.js';
import {
  InputError,
  type JsonObject,
  parseSingleObject,
  readStdin,
  runJsonl,
} from '../jsonl.js';
import {
  balanceErrorMessage,
  formatBalanceRow,
  readAmount,
  readBalanceRows,
  readObjects,
} from './allocate.js';

// `loandesk penalty`: a loan's installments (or one overdue amount), its
// payments so far and an as-of date → penalty interest, compound interest,
// late fees, days past due, bucket and five-tier class.
//
// In (amounts in yuan as strings or numbers, rates as decimals):
//   {"id","as_of","annual_rate",
//    "installments":[{"n"?,"due_date","principal","interest"?,"fee"?,
//                     "penalty"?}],
//    "payments":[{"date","amount"}]?,   // replayed through the waterfall
//    "policy":{"penalty_multiple":"1.5","days_in_year":360,"compound":true,
//              "grace_days":0,"grace_start":"from_due_date|from_grace_end",
//              "late_fee":{"kind":"none|fixed|share_of_installment",
//                          "amount"?,"share"?},
//              "rounding":"half_up","allocation_order":"installment_first",
//              "classification":"bank_loan|credit_card"|{…_after_days}}?}
//   or, for one overdue amount: "overdue_principal","overdue_interest"?,
//   "due_date" instead of "installments" and "payments".
// Out: {"id","as_of","days_past_due","bucket","classification",
//   "classification_zh","penalty_rate_daily","penalty" (= penalty_interest +
//   compound_interest accrued to as_of, paid or not),"penalty_interest",
//   "compound_interest","late_fees","overdue":{principal,interest,fee,
//   penalty,total} (still owed on installments past due),"total_due",
//   "credit" (paid ahead, held for later installments),"installments":[…]}.
// Payments dated as_of count; penalty covers every day before as_of.

function readBoolean(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new InputError(`${field}: must be true or false`);
}

function readLateFee(value: unknown): LateFee {
  if (value === undefined || value === null)
    return DEFAULT_PENALTY_POLICY.lateFee;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('policy.late_fee: must be an object with a kind');
  }
  const item = value as JsonObject;
  const kind = readChoice(item.kind, 'policy.late_fee.kind', [
    'none',
    'fixed',
    'share_of_installment',
  ] as const);
  if (kind === 'none') return { kind };
  if (kind === 'fixed') {
    return {
      kind,
      amountFen: readAmount(item.amount, 'policy.late_fee.amount'),
    };
  }
  return { kind, share: readRate(item.share, 'policy.late_fee.share') };
}

function readClassification(value: unknown): ClassificationPolicy {
  if (value === undefined || value === null)
    return DEFAULT_CLASSIFICATION_POLICY;
  if (typeof value === 'string') {
    const preset = readChoice(value, 'policy.classification', [
      'bank_loan',
      'credit_card',
    ] as const);
    return preset === 'credit_card'
      ? CREDIT_CARD_CLASSIFICATION_POLICY
      : DEFAULT_CLASSIFICATION_POLICY;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(
      'policy.classification: must be "bank_loan", "credit_card" or an object of thresholds',
    );
  }
  const item = value as JsonObject;
  const read = (key: string, fallback: number) =>
    item[key] === undefined
      ? fallback
      : readInteger(
          item[key],
          `policy.classification.${key}`,
          0,
          OVERDUE_DAYS_MAX,
        );
  const policy = {
    specialMentionAfterDays: read(
      'special_mention_after_days',
      DEFAULT_CLASSIFICATION_POLICY.specialMentionAfterDays,
    ),
    substandardAfterDays: read(
      'substandard_after_days',
      DEFAULT_CLASSIFICATION_POLICY.substandardAfterDays,
    ),
    doubtfulAfterDays: read(
      'doubtful_after_days',
      DEFAULT_CLASSIFICATION_POLICY.doubtfulAfterDays,
    ),
    lossAfterDays: read(
      'loss_after_days',
      DEFAULT_CLASSIFICATION_POLICY.lossAfterDays,
    ),
  };
  const ascending =
    policy.specialMentionAfterDays < policy.substandardAfterDays &&
    policy.substandardAfterDays < policy.doubtfulAfterDays &&
    policy.doubtfulAfterDays < policy.lossAfterDays;
  if (!ascending) {
    throw new InputError(
      'policy.classification: thresholds must increase from special_mention to loss',
    );
  }
  return policy;
}

function readPenaltyPolicy(item: JsonObject): PenaltyPolicy {
  const d = DEFAULT_PENALTY_POLICY;
  return {
    penaltyMultiple:
      item.penalty_multiple === undefined
        ? d.penaltyMultiple
        : readRate(item.penalty_multiple, 'policy.penalty_multiple'),
    daysInYear:
      item.days_in_year === undefined
        ? d.daysInYear
        : readChoice(String(item.days_in_year), 'policy.days_in_year', [
              '360',
              '365',
            ] as const) === '365'
          ? 365
          : 360,
    compoundOverdueInterest:
      item.compound === undefined
        ? d.compoundOverdueInterest
        : readBoolean(item.compound, 'policy.compound'),
    graceDays:
      item.grace_days === undefined
        ? d.graceDays
        : readInteger(item.grace_days, 'policy.grace_days', 0, GRACE_DAYS_MAX),
    graceStart: readChoice(
      item.grace_start ?? d.graceStart,
      'policy.grace_start',
      GRACE_STARTS,
    ),
    lateFee: readLateFee(item.late_fee),
    rounding: readChoice(
      item.rounding ?? d.rounding,
      'policy.rounding',
      ROUNDINGS,
    ),
  };
}

/** Reads `policy`; every field is optional and falls back to the defaults. */
export function readPolicies(value: unknown): PenaltyPolicies {
  const item = value === undefined || value === null ? {} : value;
  if (typeof item !== 'object' || Array.isArray(item)) {
    throw new InputError('policy: must be an object');
  }
  const policy = item as JsonObject;
  const order = readChoice(
    policy.allocation_order ?? 'installment_first',
    'policy.allocation_order',
    ALLOCATION_ORDERS,
  );
  return {
    penalty: readPenaltyPolicy(policy),
    allocation: allocationPolicyFor(order),
    classification: readClassification(policy.classification),
  };
}

function readPayments(value: unknown): Payment[] {
  if (value === undefined || value === null) return [];
  return readObjects(value, 'payments', PAYMENTS_MAX).map((row, index) => ({
    date: readDate(row.date, `payments[${index}].date`),
    amountFen: readAmount(row.amount, `payments[${index}].amount`),
  }));
}

function errorMessage(error: OverdueAmountError): string {
  switch (error.code) {
    case 'penalty.as_of_before_due':
      return `as_of: ${error.asOf} is before due_date ${error.dueDate} (${error.code})`;
    case 'penalty.too_many_payments':
      return `payments: at most ${error.paymentsMax} payments (${error.code})`;
    case 'penalty.payment_not_positive':
      return `payments[${error.index}].amount: must be more than 0 (${error.code})`;
    case 'penalty.payment_after_as_of':
      return `payments[${error.index}].date: is after as_of (${error.code})`;
    case 'penalty.overdue_days_out_of_range':
      return `as_of: more than ${error.overdueDaysMax} days after the first due date (${error.code})`;
    default:
      return balanceErrorMessage(error, 'installments');
  }
}

function runPenalty(
  input: JsonObject,
): Result<PenaltyReport, OverdueAmountError> {
  const asOf = readDate(input.as_of, 'as_of');
  const rateAnnual = readRate(input.annual_rate, 'annual_rate');
  const policies = readPolicies(input.policy);
  if (input.installments === undefined) {
    if (input.overdue_principal === undefined) {
      throw new InputError(
        'installments: give installments, or overdue_principal with due_date',
      );
    }
    return penaltyOnOverdueAmount(
      {
        asOf,
        rateAnnual,
        dueDate: readDate(input.due_date, 'due_date'),
        overduePrincipalFen: readAmount(
          input.overdue_principal,
          'overdue_principal',
        ),
        overdueInterestFen:
          input.overdue_interest === undefined
            ? ZERO_FEN
            : readAmount(input.overdue_interest, 'overdue_interest'),
      },
      policies,
    );
  }
  const balance = readBalanceRows(input.installments, 'installments');
  // The installments are the schedule as agreed; penalty is computed here.
  // A row carrying a penalty is most likely an earlier answer fed back in,
  // whose principal is already reduced by payments: refuse it, don't guess.
  const withPenalty = balance.installments.findIndex((i) => i.penaltyFen > 0n);
  if (withPenalty >= 0) {
    throw new InputError(
      `installments[${withPenalty}].penalty: give the scheduled installments; penalty is computed from them and the payments`,
    );
  }
  return penaltyToDate(
    {
      asOf,
      rateAnnual,
      installments: balance.installments,
      payments: readPayments(input.payments),
    },
    policies,
  );
}

const CLASSIFICATION_ZH = {
  normal: '正常',
  special_mention: '关注',
  substandard: '次级',
  doubtful: '可疑',
  loss: '损失',
} as const;

function formatReport(report: PenaltyReport): JsonObject {
  const penaltyFen = report.penaltyInterestFen + report.compoundInterestFen;
  return {
    as_of: report.asOf,
    days_past_due: report.overdueDays,
    bucket: report.bucket,
    classification: report.classification,
    classification_zh: CLASSIFICATION_ZH[report.classification],
    penalty_rate_daily: formatRate(report.penaltyRateDaily, 12),
    penalty: formatFen(penaltyFen),
    penalty_interest: formatFen(report.penaltyInterestFen),
    compound_interest: formatFen(report.compoundInterestFen),
    late_fees: formatFen(report.lateFeeFen),
    overdue: {
      principal: formatFen(report.overduePrincipalFen),
      interest: formatFen(report.overdueInterestFen),
      fee: formatFen(report.overdueFeeFen),
      penalty: formatFen(report.overduePenaltyFen),
      total: formatFen(
        report.overduePrincipalFen +
          report.overdueInterestFen +
          report.overdueFeeFen +
          report.overduePenaltyFen,
      ),
    },
    total_due: formatFen(report.totalDueFen),
    credit: formatFen(report.creditFen),
    installments: report.state.balance.installments.map((row, index) => {
      const accrued = report.installments[index];
      return {
        ...formatBalanceRow(row),
        days_past_due: accrued?.overdueDays ?? 0,
        in_grace: accrued?.inGrace ?? false,
        penalty_interest: formatFen(accrued?.penaltyInterestFen ?? 0n),
        compound_interest: formatFen(accrued?.compoundInterestFen ?? 0n),
        late_fee: formatFen(accrued?.lateFeeFen ?? 0n),
      };
    }),
  };
}

/** Builds the answer for one request, or throws InputError. */
export function penaltyAnswer(input: JsonObject): JsonObject {
  const result = runPenalty(input);
  if (!result.ok) {
    throw new InputError(errorMessage(result.error));
  }
  return formatReport(result.value);
}

type Flags = {
  jsonl?: boolean;
  overduePrincipal?: string;
  overdueInterest?: string;
  rate?: string;
  dueDate?: string;
  asOf?: string;
};

function inputFromFlags(
  flags: Flags,
  today: CalendarDate,
): JsonObject | undefined {
  if (flags.overduePrincipal === undefined) return undefined;
  return {
    overdue_principal: flags.overduePrincipal,
    overdue_interest: flags.overdueInterest,
    annual_rate: flags.rate,
    due_date: flags.dueDate,
    as_of: flags.asOf ?? today,
  };
}

export function registerPenaltyCommand(program: Command): void {
  program
    .command('penalty')
    .description(
      '罚息与逾期：installments + payments + as_of (JSON on stdin) → penalty, days past due, bucket, class',
    )
    .option('--jsonl', 'one loan per stdin line → one JSON answer per line')
    .option(
      '--overdue-principal <yuan>',
      'one overdue amount instead of stdin, e.g. 10000',
    )
    .option('--overdue-interest <yuan>', 'overdue interest of that amount')
    .option('--rate <decimal>', 'contract annual rate as a decimal, e.g. 0.049')
    .option('--due-date <date>', 'due date YYYY-MM-DD of the overdue amount')
    .option(
      '--as-of <date>',
      'date YYYY-MM-DD to compute to (default: today in China)',
    )
    .action(async (flags: Flags) => {
      if (flags.jsonl === true) {
        await runJsonl(penaltyAnswer);
        return;
      }
      const input =
        inputFromFlags(flags, todayInChina()) ??
        parseSingleObject(await readStdin());
      const output = { id: input.id ?? null, ...penaltyAnswer(input) };
      process.stdout.write(`${JSON.stringify(output)}\n`);
    });
}
