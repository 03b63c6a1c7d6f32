import type { Command } from 'commander';
import { formatFen } from '../../../contracts/money.js';
import { computeApr } from '../../../domain/loan/apr.js';
import { outstandingAt } from '../../../domain/loan/early-repayment/position.js';
import { type Debt, waive } from '../../../domain/loan/restructuring/debt.js';
import {
  extendLoan,
  type RestructuringError,
  type RestructuringPlan,
  reamortize,
  stopInterestInstallments,
} from '../../../domain/loan/restructuring/plans.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../../domain/loan/restructuring/policy.js';
import { fen } from '../../../domain/money/fen.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import type { Result } from '../../../domain/shared/result.js';
import { formatDebt, parsePosition } from '../../wire/position-codec.js';
import {
  formatSchedule,
  readChoice,
  readInteger,
  readRate,
  readYuan,
} from '../../wire/schedule-codec.js';
import { InputError, type JsonObject } from '../jsonl.js';
import { addLoanFlags, type LoanFlags, runLoanCommand } from './loan-input.js';

const OPTIONS = ['extension', 'reamortization', 'stop_interest'] as const;

function readWaiver(value: unknown) {
  const w = (value ?? {}) as JsonObject;
  return {
    penaltyShare: readRate(w.penalty ?? 0, 'waiver.penalty'),
    interestShare: readRate(w.interest ?? 0, 'waiver.interest'),
    feeShare: readRate(w.fee ?? 0, 'waiver.fee'),
    principalFen: readYuan(w.principal ?? 0, 'waiver.principal'),
  };
}

function plan(
  input: JsonObject,
  today: CalendarDate,
  debt: Debt,
): Result<RestructuringPlan, RestructuringError> {
  const position = parsePosition(input, today);
  const terms = position.schedule.terms;
  const option = readChoice(input.option, 'option', OPTIONS);
  const months = readInteger(input.months, 'months', 1, 360);
  const common = {
    debt,
    months,
    startDate: position.asOf,
    rounding: terms.rounding,
  };
  const policy = DEFAULT_RESTRUCTURING_POLICY;
  if (option === 'stop_interest')
    return stopInterestInstallments(common, policy);
  if (option === 'reamortization') {
    const rateAnnual =
      input.rate === undefined
        ? terms.rateAnnual
        : readRate(input.rate, 'rate');
    return reamortize({ ...common, rateAnnual }, policy);
  }
  const remainingPeriods =
    position.schedule.installments.length - position.paidPeriods;
  return extendLoan(
    {
      ...common,
      remainingPeriods,
      originalTermMonths: terms.termMonths,
      method: terms.method,
      rateAnnual: terms.rateAnnual,
    },
    policy,
  );
}

/** 协商还款: a restructuring of the debt on `as_of`, after any waiver. */
export function restructureAnswer(
  input: JsonObject,
  today: CalendarDate,
): JsonObject {
  const position = parsePosition(input, today);
  const outstanding = outstandingAt(position);
  const debt: Debt = {
    principalFen: outstanding.principalFen,
    interestFen: outstanding.interestFen,
    feeFen: outstanding.feeFen,
    penaltyFen:
      input.penalty === undefined
        ? fen(0n)
        : readYuan(input.penalty, 'penalty'),
  };
  const waived = waive(
    debt,
    readWaiver(input.waiver),
    DEFAULT_RESTRUCTURING_POLICY,
  );
  if (!waived.ok)
    throw new InputError(
      `waiver.${waived.error.component}: ${waived.error.detail}`,
    );
  const result = plan(input, today, waived.value.after);
  if (!result.ok) throw new InputError(`months: ${result.error.detail}`);
  const p = result.value;
  return {
    kind: p.kind,
    months: p.months,
    debt: formatDebt(debt),
    waived: formatDebt(waived.value.waived),
    capitalized: formatFen(p.capitalizedFen),
    due_at_signing: formatFen(p.dueAtSigningFen),
    first_payment: formatFen(p.firstPaymentFen),
    monthly_payment: formatFen(p.monthlyPaymentFen),
    total_paid: formatFen(p.totalPaidFen),
    schedule: formatSchedule(p.schedule, computeApr(p.schedule)),
  };
}

export function registerRestructureCommand(program: Command): void {
  addLoanFlags(
    program
      .command('restructure')
      .description(
        '重组方案：extension (展期), re-amortisation (个性化分期) or stop-interest (停息挂账), with waivers',
      ),
  )
    .option('--option <id>', 'extension | reamortization | stop_interest')
    .option('--new-months <n>', 'months of the new schedule')
    .option('--penalty <yuan>', 'penalty interest owed so far')
    .action(
      async (
        flags: LoanFlags & {
          option?: string;
          newMonths?: string;
          penalty?: string;
        },
      ) => {
        const extra: JsonObject = {
          option: flags.option,
          months: flags.newMonths,
        };
        if (flags.penalty !== undefined) extra.penalty = flags.penalty;
        await runLoanCommand(flags, extra, restructureAnswer);
      },
    );
}
