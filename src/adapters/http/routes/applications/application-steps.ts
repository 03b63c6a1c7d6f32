import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { formatFen } from '../../../../contracts/money.js';
import {
  type CreditFacts,
  scoreApplication,
  scorecardRecord,
} from '../../../../domain/credit/scorecard.js';
import { DEFAULT_SCORECARD_POLICY } from '../../../../domain/credit/scorecard-policy.js';
import { buildSchedule } from '../../../../domain/loan/schedule/build-schedule.js';
import type {
  LoanTerms,
  RepaymentMethod,
  Schedule,
} from '../../../../domain/loan/schedule/types.js';
import { type Fen, fen, maxFen } from '../../../../domain/money/fen.js';
import type { Rate } from '../../../../domain/money/rate.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import type { Application } from '../../../db/repositories/application-repository.js';
import {
  claimIdempotencyKey,
  lookupIdempotencyKey,
  requestHash,
} from '../../../db/repositories/idempotency-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Loan } from '../../../db/repositories/loan-repository.js';
import type { Product } from '../../../db/repositories/product-repository.js';
import type { Database } from '../../../db/schema.js';
import { HttpRefusal, lifecycleRefusal } from '../../refusal.js';

// The steps of the application workflow that do more than move a status:
// the credit assessment (scorecard over the credit-report facts and the new
// installment from the loan engine) and disbursement (the loan and its
// schedule booked in the same transaction as the application's move).

/** The bank's conventions for consumer loans booked from an application. */
export function loanTermsFor(
  application: { amountFen: Fen; termMonths: number },
  pricing: { rateAnnual: Rate; method: RepaymentMethod },
  startDate: CalendarDate,
): LoanTerms {
  return {
    principalFen: application.amountFen,
    rateAnnual: pricing.rateAnnual,
    termMonths: application.termMonths,
    method: pricing.method,
    startDate,
    dayCount: '30/360',
    rounding: 'half_up',
    paymentMultipleFen: fen(1n),
    interestOnlyPeriods: 0,
    fees: [],
    prepayments: [],
  };
}

function scheduleOrRefuse(terms: LoanTerms): Schedule {
  const built = buildSchedule(terms);
  if (!built.ok)
    throw new HttpRefusal(
      409,
      'application.schedule_refused',
      `贷款引擎无法生成还款计划（${built.error.code}）。`,
    );
  return built.value;
}

/**
 * The largest installment of the loan applied for, priced at the top of the
 * product's band with its first method: the DTI is judged on the worst case
 * the approval could still choose.
 */
export function worstInstallmentFen(
  application: Application,
  product: Product,
  today: CalendarDate,
): Fen {
  const method = product.methods[0];
  if (method === undefined)
    throw new HttpRefusal(
      409,
      'application.schedule_refused',
      '产品未配置还款方式。',
    );
  const schedule = scheduleOrRefuse(
    loanTermsFor(
      application,
      { rateAnnual: product.rateAnnualMax, method },
      today,
    ),
  );
  return schedule.installments.reduce(
    (max, row) => maxFen(row.paymentFen, max),
    fen(0n),
  );
}

export type AssessmentInput = Omit<
  CreditFacts,
  'newInstallmentFen' | 'monthlyIncomeFen'
> & { readonly monthlyIncomeFen: Fen | undefined };

/** Scores, stores the scorecard, and refers to manual review when it says so. */
export async function assessApplication(
  repos: Repositories,
  application: Application,
  input: AssessmentInput,
  who: { actor: string; reason: string },
  today: CalendarDate,
): Promise<Application> {
  if (
    application.status !== 'credit_assessment' &&
    application.status !== 'manual_review'
  )
    throw new HttpRefusal(
      409,
      'application.not_in_assessment',
      '只有处于“信用评估”或“人工复核”的申请才能进行信用评估。',
    );
  const customer = await repos.customers.findById(application.customerId);
  const monthlyIncomeFen = input.monthlyIncomeFen ?? customer?.monthlyIncomeFen;
  if (monthlyIncomeFen === undefined)
    throw new HttpRefusal(
      400,
      'input.invalid',
      'monthly_income: 客户资料中没有月收入，请填写',
      'monthly_income',
    );
  const product = await repos.products.findById(application.productId);
  if (product === undefined)
    throw new HttpRefusal(
      409,
      'application.schedule_refused',
      '申请的产品已不存在。',
    );
  const newInstallmentFen = worstInstallmentFen(application, product, today);
  const scored = scoreApplication(
    { ...input, monthlyIncomeFen, newInstallmentFen },
    DEFAULT_SCORECARD_POLICY,
  );
  if (!scored.ok)
    throw new HttpRefusal(
      400,
      'input.invalid',
      `${scored.error.field}: 超出允许范围`,
      scored.error.field,
    );
  const record = {
    ...scorecardRecord(scored.value),
    new_installment: formatFen(newInstallmentFen),
    monthly_income: formatFen(monthlyIncomeFen),
    assessed_by: who.actor,
  };
  const moved =
    scored.value.decision === 'manual_review' &&
    application.status === 'credit_assessment'
      ? await repos.applications.transition(
          application.id,
          { type: 'refer_to_manual_review' },
          who,
          record,
        )
      : await repos.applications.recordScorecard(application.id, record, who);
  if (!moved.ok) throw lifecycleRefusal(moved.error);
  return moved.value;
}

/** The loan number booked for an application: AP… becomes LN…. */
export function loanNoFor(appNo: string): string {
  return appNo.startsWith('AP') ? `LN${appNo.slice(2)}` : `LN-${appNo}`;
}

/** A new application number: AP + business date + 6 random digits. */
export function newAppNo(today: CalendarDate): string {
  const digits = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return `AP${today.replaceAll('-', '')}${digits}`;
}

export type Disbursed = { readonly loan: Loan; readonly replayed: boolean };

/**
 * One transaction: the key check, the application's `disburse`, the loan
 * with its schedule from the engine, and the key's claim. A retry with the
 * same key answers with the loan booked the first time.
 */
export async function disburseApplication(
  db: Kysely<Database>,
  repositoriesOver: (db: Kysely<Database>) => Repositories,
  input: {
    readonly applicationId: string;
    readonly key: string;
    readonly startDate: CalendarDate;
    readonly who: { actor: string; reason: string };
  },
): Promise<Disbursed> {
  const hash = requestHash('application.disburse', {
    application_id: input.applicationId,
    start_date: input.startDate,
  });
  return db.transaction().execute(async (tx): Promise<Disbursed> => {
    const repos = repositoriesOver(tx);
    const earlier = await lookupIdempotencyKey(tx, input.key, hash);
    if (earlier.kind === 'reused_with_other_request')
      throw new HttpRefusal(
        409,
        'idempotency.key_reused',
        'Idempotency-Key 已用于另一笔请求。',
      );
    if (earlier.kind === 'replay') {
      const loan = await repos.loans.findById(earlier.resultId);
      if (loan === undefined)
        throw new HttpRefusal(
          409,
          'idempotency.key_reused',
          'Idempotency-Key 已用于另一笔请求。',
        );
      return { loan, replayed: true };
    }
    const application = await repos.applications.findById(input.applicationId);
    if (application === undefined)
      throw new HttpRefusal(404, 'application.not_found', '未找到该贷款申请。');
    const moved = await repos.applications.transition(
      application.id,
      { type: 'disburse' },
      input.who,
    );
    if (!moved.ok) throw lifecycleRefusal(moved.error);
    const { approvedRateAnnual, approvedMethod } = application;
    if (approvedRateAnnual === undefined || approvedMethod === undefined)
      throw new HttpRefusal(
        409,
        'application.pricing_missing',
        '该申请审批时未确定利率和还款方式，不能放款。',
      );
    const schedule = scheduleOrRefuse(
      loanTermsFor(
        application,
        { rateAnnual: approvedRateAnnual, method: approvedMethod },
        input.startDate,
      ),
    );
    // The contract carries the product's early-repayment fee terms.
    const product = await repos.products.findById(application.productId);
    const loan = await repos.loans.createFromSchedule(
      {
        loanNo: loanNoFor(application.appNo),
        customerId: application.customerId,
        applicationId: application.id,
        productId: application.productId,
        schedule,
        ...(product === undefined
          ? {}
          : { prepaymentFee: product.prepaymentFee }),
      },
      input.who.actor,
    );
    const claimed = await claimIdempotencyKey(tx, {
      key: input.key,
      scope: 'application.disburse',
      hash,
      resultId: loan.id,
      at: new Date().toISOString(),
    });
    if (!claimed)
      throw new HttpRefusal(
        409,
        'application.concurrent_update',
        '数据已被他人修改，请刷新后重试。',
      );
    return { loan, replayed: false };
  });
}
