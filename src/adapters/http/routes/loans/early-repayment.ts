import type { Kysely } from 'kysely';
import { formatFen } from '../../../../contracts/money.js';
import { allocatePayment } from '../../../../domain/loan/allocation/allocate-payment.js';
import { DEFAULT_ALLOCATION_POLICY } from '../../../../domain/loan/allocation/allocation-policy.js';
import {
  type PartialPrepayment,
  prepayPartially,
} from '../../../../domain/loan/early-repayment/partial-prepayment.js';
import type { PayoffError } from '../../../../domain/loan/early-repayment/payoff.js';
import { buildSchedule } from '../../../../domain/loan/schedule/build-schedule.js';
import type { PrepaymentMode } from '../../../../domain/loan/schedule/types.js';
import { type Fen, fen } from '../../../../domain/money/fen.js';
import { assert } from '../../../../domain/shared/assert.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type {
  LedgerRowInput,
  Loan,
} from '../../../db/repositories/loan-repository.js';
import type {
  Payment,
  PaymentChannel,
} from '../../../db/repositories/payment-repository.js';
import type { Database } from '../../../db/schema.js';
import {
  badInput,
  HttpRefusal,
  lifecycleRefusal,
  notFound,
} from '../../refusal.js';
import {
  baseTermsVersion,
  feePolicyOf,
  hasPaymentsAfter,
  outstandingFen,
  type PayoffPlan,
  paidPeriodsOf,
  planPayoff,
  rebuildTerms,
  sameRows,
} from './ledger-position.js';

// Early repayment on a stored loan (提前还款), each one transaction: the key
// check, the loan locked, the engine's new schedule written as a new
// version, the payment, the loan's status and the audit entries commit
// together or not at all. A retry with the same Idempotency-Key answers with
// the first payment and moves no money.

export type LedgerContext = {
  readonly db: Kysely<Database>;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  readonly lockLoan: (tx: Kysely<Database>, loanId: string) => Promise<void>;
};

const OPEN_STATUSES = ['repaying', 'overdue', 'collection', 'restructured'];

export function assertOpen(loan: Loan): void {
  if (!OPEN_STATUSES.includes(loan.status))
    throw new HttpRefusal(
      400,
      'payment.loan_not_open',
      '该贷款已结清或已核销，不再受理还款。',
    );
}

export async function findLoanOrThrow(
  repos: Repositories,
  loanNo: string,
): Promise<Loan> {
  const loan = await repos.loans.findByLoanNo(loanNo);
  if (loan === undefined) throw notFound('loan.not_found', '未找到该贷款。');
  return loan;
}

const KEY_REUSED = () =>
  new HttpRefusal(
    409,
    'idempotency.key_reused',
    'Idempotency-Key 已用于另一笔请求。',
  );

/** The payment an earlier call with `key` made, if it was this request. */
async function earlierPayment(
  tx: Kysely<Database>,
  repos: Repositories,
  key: string,
  scope: string,
  same: (payment: Payment) => boolean,
): Promise<Payment | undefined> {
  const earlier = await tx
    .selectFrom('idempotency_keys')
    .select(['scope', 'result_id'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (earlier === undefined) return undefined;
  const payment =
    earlier.scope === scope
      ? await repos.payments.findById(earlier.result_id)
      : undefined;
  if (payment === undefined || !same(payment)) throw KEY_REUSED();
  return payment;
}

async function lockedOpenLoan(
  ctx: LedgerContext,
  tx: Kysely<Database>,
  repos: Repositories,
  loanId: string,
): Promise<Loan> {
  await ctx.lockLoan(tx, loanId);
  const loan = await repos.loans.findById(loanId);
  assert(loan !== undefined, `loan ${loanId} vanished`);
  assertOpen(loan);
  return loan;
}

const CONCURRENT = () =>
  new HttpRefusal(
    409,
    'loan.concurrent_update',
    '数据已被他人修改，请刷新后重试。',
  );

export function payoffRefusal(
  error: PayoffError,
  dateField: string,
): HttpRefusal {
  return error.code === 'payoff.as_of_before_start'
    ? badInput(dateField, '日期早于贷款起始日', error.code)
    : new HttpRefusal(409, error.code, '该贷款各期均已还清，无需提前结清。');
}

function prepaymentRefusal(
  error: { code: string },
  remainingFen: Fen,
): HttpRefusal {
  switch (error.code) {
    case 'prepayment.loan_overdue':
      return new HttpRefusal(
        409,
        error.code,
        '贷款有逾期未还的期次，请先还清逾期款项再办理提前还款。',
      );
    case 'prepayment.before_first_installment':
      return new HttpRefusal(
        409,
        error.code,
        '首期还款前不能办理提前部分还款，可办理提前结清。',
      );
    case 'prepayment.amount_out_of_range':
      return badInput(
        'amount',
        `提前还本金额须大于 0 且小于剩余本金 ${formatFen(remainingFen)} 元（全部归还请办理提前结清）`,
        error.code,
      );
    default:
      return new HttpRefusal(
        409,
        'prepayment.not_allowed',
        '贷款引擎不接受本次提前还款。',
      );
  }
}

export type PrepaymentPlan = {
  readonly result: PartialPrepayment;
  readonly paidPeriods: number;
  /** The schedule version the prepayment writes (paid rows carried). */
  readonly newRows: readonly LedgerRowInput[];
};

/**
 * What a partial prepayment of `principalFen` on `paidOn` does, without
 * writing anything: the engine's new schedule from the terms the current
 * one was built from (kept at booking or restructuring) plus the
 * prepayments recorded since, checked against the stored rows.
 */
export async function planPrepayment(
  db: Kysely<Database>,
  repos: Repositories,
  loan: Loan,
  input: {
    readonly principalFen: Fen;
    readonly mode: PrepaymentMode;
    readonly paidOn: CalendarDate;
  },
): Promise<PrepaymentPlan> {
  const rows = await repos.loans.schedule(loan.id);
  const paidPeriods = paidPeriodsOf(rows);
  if (hasPaymentsAfter(rows, paidPeriods))
    throw new HttpRefusal(
      409,
      'prepayment.installment_partly_paid',
      '当期已有部分还款，请先还清当期应还款项后再办理提前部分还款。',
    );
  const recorded = await db
    .selectFrom('loan_prepayments')
    .select(['after_period', 'principal_fen', 'mode'])
    .where('loan_id', '=', loan.id)
    .where('kind', '=', 'partial')
    .where('schedule_version', '>', BigInt(baseTermsVersion(loan)))
    // A reversed prepayment no longer shapes the schedule.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('payments')
            .select('payments.id')
            .whereRef(
              'payments.reverses_payment_id',
              '=',
              'loan_prepayments.payment_id',
            ),
        ),
      ),
    )
    .orderBy('schedule_version')
    .execute();
  const built = buildSchedule(
    rebuildTerms(
      loan,
      recorded.map((r) => ({
        afterPeriod: Number(r.after_period),
        principalFen: fen(r.principal_fen),
        mode: r.mode as PrepaymentMode,
      })),
    ),
  );
  if (!built.ok || !sameRows(built.value.installments, rows)) {
    // Loans booked or restructured before the engine terms were kept
    // (loans.schedule_terms): their schedule cannot be recomputed.
    if (loan.scheduleTerms === undefined)
      throw new HttpRefusal(
        409,
        'prepayment.terms_not_kept',
        loan.status === 'restructured'
          ? '该贷款的重组还款计划是在系统保存计算条款之前签订的，无法自动重算提前还款后的计划，请转人工处理。'
          : '该贷款放款时系统未保存其计算条款（如分期手续费），无法自动重算提前还款后的计划，请转人工处理。',
      );
    throw new HttpRefusal(
      409,
      'prepayment.schedule_not_rebuildable',
      '该贷款的当前还款计划与合同条款重算结果不一致，系统无法自动办理提前部分还款，请转人工处理。',
    );
  }
  const remainingFen = fen(
    rows.slice(paidPeriods).reduce((s, r) => s + r.principalFen, 0n),
  );
  const result = prepayPartially(
    { schedule: built.value, paidPeriods, asOf: input.paidOn },
    {
      amountFen: input.principalFen,
      mode: input.mode,
      feePolicy: feePolicyOf(loan),
    },
  );
  if (!result.ok) throw prepaymentRefusal(result.error, remainingFen);
  const next = result.value.schedule.installments;
  assert(
    sameRows(next.slice(0, paidPeriods), rows.slice(0, paidPeriods)),
    'prepay: the engine changed installments already paid',
  );
  const newRows: LedgerRowInput[] = [
    ...rows.slice(0, paidPeriods).map(({ scheduleVersion: _v, ...r }) => r),
    ...next.slice(paidPeriods).map((i) => ({
      ...i,
      penaltyFen: fen(0n),
      paidPrincipalFen: fen(0n),
      paidInterestFen: fen(0n),
      paidFeeFen: fen(0n),
      paidPenaltyFen: fen(0n),
    })),
  ];
  return { result: result.value, paidPeriods, newRows };
}

export type Prepaid = {
  readonly payment: Payment;
  readonly replayed: boolean;
  readonly loan: Loan;
  /** The engine's figures; undefined on a replay. */
  readonly prepayment: PartialPrepayment | undefined;
};

/** 提前部分还款: the engine's new schedule from the next period on. */
export async function prepayStoredLoan(
  ctx: LedgerContext,
  input: {
    readonly loanNo: string;
    readonly key: string;
    readonly principalFen: Fen;
    readonly mode: PrepaymentMode;
    readonly paidOn: CalendarDate;
    readonly channel: PaymentChannel;
    readonly actor: string;
  },
): Promise<Prepaid> {
  return ctx.db.transaction().execute(async (tx): Promise<Prepaid> => {
    const repos = ctx.repositoriesOver(tx);
    const found = await findLoanOrThrow(repos, input.loanNo);
    const prior = await earlierPayment(
      tx,
      repos,
      input.key,
      'loan.prepay',
      (p) =>
        p.loanId === found.id &&
        p.kind === 'prepayment' &&
        p.allocations[0]?.principalFen === input.principalFen,
    );
    if (prior !== undefined)
      return {
        payment: prior,
        replayed: true,
        loan: found,
        prepayment: undefined,
      };
    const loan = await lockedOpenLoan(ctx, tx, repos, found.id);
    const { result, newRows, paidPeriods } = await planPrepayment(
      tx,
      repos,
      loan,
      input,
    );
    const who = { actor: input.actor, reason: '提前部分还款' };
    const version = await repos.loans.addScheduleVersion(
      loan.id,
      newRows,
      who,
      {
        cause: 'prepayment',
        mode: input.mode,
        principal_fen: input.principalFen,
      },
    );
    if (!version.ok) throw lifecycleRefusal(version.error);
    const payment = await repos.payments.recordSettlement(
      {
        idempotencyKey: input.key,
        scope: 'loan.prepay',
        loanId: loan.id,
        kind: 'prepayment',
        amountFen: result.payNowFen,
        paidOn: input.paidOn,
        channel: input.channel,
        scheduleVersion: version.value,
        allocations: [
          {
            n: 0,
            principalFen: input.principalFen,
            interestFen: result.interestDueNowFen,
            feeFen: result.prepaymentFeeFen,
            penaltyFen: fen(0n),
          },
        ],
        applyToSchedule: false,
      },
      input.actor,
    );
    if (payment === undefined) throw CONCURRENT();
    await tx
      .insertInto('loan_prepayments')
      .values({
        payment_id: payment.id,
        loan_id: loan.id,
        schedule_version: BigInt(version.value),
        kind: 'partial',
        after_period: BigInt(paidPeriods),
        principal_fen: input.principalFen,
        mode: input.mode,
        created_at: new Date().toISOString(),
      })
      .execute();
    const after = await repos.loans.findById(loan.id);
    assert(after !== undefined, 'prepay: loan vanished');
    return { payment, replayed: false, loan: after, prepayment: result };
  });
}

export type PaidOff = {
  readonly payment: Payment;
  readonly replayed: boolean;
  readonly loan: Loan;
  readonly plan: PayoffPlan | undefined;
};

/** 提前结清: the payoff version, its payment by the waterfall, and `settle`. */
export async function payOffStoredLoan(
  ctx: LedgerContext,
  input: {
    readonly loanNo: string;
    readonly key: string;
    readonly amountFen: Fen;
    readonly paidOn: CalendarDate;
    readonly channel: PaymentChannel;
    readonly actor: string;
  },
): Promise<PaidOff> {
  return ctx.db.transaction().execute(async (tx): Promise<PaidOff> => {
    const repos = ctx.repositoriesOver(tx);
    const found = await findLoanOrThrow(repos, input.loanNo);
    const prior = await earlierPayment(
      tx,
      repos,
      input.key,
      'loan.payoff',
      (p) =>
        p.loanId === found.id &&
        p.kind === 'payoff' &&
        p.amountFen === input.amountFen,
    );
    if (prior !== undefined)
      return { payment: prior, replayed: true, loan: found, plan: undefined };
    const loan = await lockedOpenLoan(ctx, tx, repos, found.id);
    const plan = planPayoff(
      loan,
      await repos.loans.schedule(loan.id),
      input.paidOn,
    );
    if (!plan.ok) throw payoffRefusal(plan.error, 'paid_on');
    if (plan.value.totalFen !== input.amountFen)
      throw badInput(
        'amount',
        `截至 ${input.paidOn} 的结清金额为 ${formatFen(plan.value.totalFen)} 元，与所填金额不符`,
        'payoff.amount_mismatch',
      );
    const who = { actor: input.actor, reason: '提前结清' };
    let scheduleVersion = loan.scheduleVersion;
    if (plan.value.rows !== undefined) {
      const version = await repos.loans.addScheduleVersion(
        loan.id,
        plan.value.rows,
        who,
        {
          cause: 'payoff',
          as_of: input.paidOn,
        },
      );
      if (!version.ok) throw lifecycleRefusal(version.error);
      scheduleVersion = version.value;
    }
    const allocated = allocatePayment(
      await repos.loans.balance(loan.id),
      input.amountFen,
      DEFAULT_ALLOCATION_POLICY,
    );
    assert(
      allocated.ok && allocated.value.remainderFen === 0n,
      'payoff: the plan total does not pay the plan',
    );
    const payment = await repos.payments.recordSettlement(
      {
        idempotencyKey: input.key,
        scope: 'loan.payoff',
        loanId: loan.id,
        kind: 'payoff',
        amountFen: input.amountFen,
        paidOn: input.paidOn,
        channel: input.channel,
        scheduleVersion,
        allocations: allocated.value.allocations.filter(
          (a) => a.principalFen + a.interestFen + a.feeFen + a.penaltyFen > 0n,
        ),
        applyToSchedule: true,
      },
      input.actor,
    );
    if (payment === undefined) throw CONCURRENT();
    // Paired with the plan: after the payoff nothing is owed.
    assert(
      outstandingFen(await repos.loans.schedule(loan.id)) === 0n,
      'payoff: balance left after the payoff',
    );
    const settled = await repos.loans.transition(
      loan.id,
      { type: 'settle' },
      who,
    );
    if (!settled.ok) throw lifecycleRefusal(settled.error);
    await tx
      .insertInto('loan_prepayments')
      .values({
        payment_id: payment.id,
        loan_id: loan.id,
        schedule_version: BigInt(scheduleVersion),
        kind: 'payoff',
        after_period: BigInt(plan.value.paidPeriods),
        principal_fen: plan.value.foldedPrincipalFen,
        mode: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    return { payment, replayed: false, loan: settled.value, plan: plan.value };
  });
}

const KIND_ZH: Record<string, string> = {
  repayment: '还款',
  prepayment: '提前部分还款',
  payoff: '提前结清',
  reversal: '冲正',
};

export type ReversedEarly = {
  readonly payment: Payment;
  readonly replayed: boolean;
  readonly loan: Loan;
};

/**
 * Reverses a partial prepayment or a payoff (冲正提前还款/提前结清), one
 * transaction: the schedule in force before it becomes current again (a new
 * version copying it: history is never rewritten), the negative payment
 * mirrors the original's lines, and a settled loan returns to repaying.
 * Refused while a later money movement stands on it (a later payment not
 * itself reversed, named in the answer) or when the schedule was replaced
 * since (a restructuring). A retry with the same key answers with the first
 * reversal.
 */
export async function reverseEarlyRepayment(
  ctx: LedgerContext,
  input: {
    readonly loanNo: string;
    readonly paymentId: string;
    readonly key: string;
    readonly reason: string;
    readonly actor: string;
  },
): Promise<ReversedEarly> {
  return ctx.db.transaction().execute(async (tx): Promise<ReversedEarly> => {
    const repos = ctx.repositoriesOver(tx);
    const found = await findLoanOrThrow(repos, input.loanNo);
    const original = await repos.payments.findById(input.paymentId);
    if (
      original === undefined ||
      original.loanId !== found.id ||
      (original.kind !== 'prepayment' && original.kind !== 'payoff')
    )
      throw notFound('payment.not_found', '未找到该笔提前还款。');
    const prior = await earlierPayment(
      tx,
      repos,
      input.key,
      'payment.reverse_early',
      (p) => p.kind === 'reversal' && p.reversesPaymentId === original.id,
    );
    if (prior !== undefined)
      return { payment: prior, replayed: true, loan: found };
    await ctx.lockLoan(tx, found.id);
    const loan = await repos.loans.findById(found.id);
    assert(loan !== undefined, 'reverse: loan vanished');
    const history = await repos.payments.listByLoan(loan.id);
    if (history.some((p) => p.reversesPaymentId === original.id))
      throw new HttpRefusal(
        409,
        'payment.already_reversed',
        '该笔款项已冲正。',
      );
    // Money that moved after it and still stands depends on it.
    const reversed = new Set(
      history.flatMap((p) =>
        p.reversesPaymentId === undefined ? [] : [p.reversesPaymentId],
      ),
    );
    const later = history
      .slice(history.findIndex((p) => p.id === original.id) + 1)
      .find((p) => p.kind !== 'reversal' && !reversed.has(p.id));
    if (later !== undefined)
      throw new HttpRefusal(
        409,
        'payment.later_movement',
        `之后还有一笔${KIND_ZH[later.kind] ?? later.kind}（${later.id}，${later.paidOn}，${formatFen(later.amountFen)} 元）以本笔为基础，请先冲正该笔款项。`,
      );
    const record = await tx
      .selectFrom('loan_prepayments')
      .select(['schedule_version', 'principal_fen'])
      .where('payment_id', '=', original.id)
      .executeTakeFirst();
    assert(record !== undefined, `reverse: ${original.id} has no record`);
    const version = Number(record.schedule_version);
    if (version !== loan.scheduleVersion)
      throw new HttpRefusal(
        409,
        'payment.schedule_replaced',
        `本笔之后还款计划已变更（当前为第 ${loan.scheduleVersion} 版，本笔对应第 ${version} 版，如重组），不能直接冲正，请转人工处理。`,
      );
    // A partial prepayment always wrote a version; a payoff did when it
    // folded installments not yet due (their principal is recorded).
    const wroteVersion =
      original.kind === 'prepayment' || fen(record.principal_fen) > 0n;
    const reason = input.reason;
    const who = {
      actor: input.actor,
      reason: `冲正${KIND_ZH[original.kind]} ${original.id}：${reason}`,
    };
    let restoredVersion: number | undefined;
    if (wroteVersion) {
      assert(version > 1, 'reverse: no schedule before the early repayment');
      const before = await repos.loans.scheduleVersionRows(
        loan.id,
        version - 1,
      );
      assert(before.length > 0, 'reverse: the earlier schedule is gone');
      const restored = await repos.loans.addScheduleVersion(
        loan.id,
        before.map(({ scheduleVersion: _v, ...row }) => row),
        who,
        {
          cause: 'reversal',
          reverses_payment_id: original.id,
          restores_version: version - 1,
        },
      );
      if (!restored.ok) throw lifecycleRefusal(restored.error);
      restoredVersion = version - 1;
    }
    const payment = await repos.payments.recordReversal(
      {
        idempotencyKey: input.key,
        scope: 'payment.reverse_early',
        original,
        scheduleVersion: version,
        applyToSchedule: !wroteVersion,
        reason,
        restoredVersion,
      },
      input.actor,
    );
    if (payment === undefined) throw CONCURRENT();
    let after = await repos.loans.findById(loan.id);
    assert(after !== undefined, 'reverse: loan vanished');
    if (after.status === 'settled') {
      const reopened = await repos.loans.transition(
        loan.id,
        { type: 'reopen' },
        who,
      );
      if (!reopened.ok) throw lifecycleRefusal(reopened.error);
      after = reopened.value;
    }
    return { payment, replayed: false, loan: after };
  });
}
