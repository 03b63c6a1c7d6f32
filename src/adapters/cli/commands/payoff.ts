import type { Command } from 'commander';
import { formatFen } from '../../../contracts/money.js';
import { payoffQuote } from '../../../domain/loan/early-repayment/payoff.js';
import type { CalendarDate } from '../../../domain/shared/calendar-date.js';
import { parseFeePolicy, parsePosition } from '../../wire/position-codec.js';
import { readYuan } from '../../wire/schedule-codec.js';
import { InputError, type JsonObject } from '../jsonl.js';
import { addLoanFlags, type LoanFlags, runLoanCommand } from './loan-input.js';

/** 一次性结清: what settles the loan in full on `as_of`, by component. */
export function payoffAnswer(
  input: JsonObject,
  today: CalendarDate,
): JsonObject {
  const position = parsePosition(input, today);
  const penaltyFen =
    input.penalty === undefined
      ? undefined
      : readYuan(input.penalty, 'penalty');
  const quote = payoffQuote(position, {
    feePolicy: parseFeePolicy(input.prepayment_fee),
    ...(penaltyFen === undefined ? {} : { penaltyFen }),
  });
  if (!quote.ok) throw new InputError(`as_of: ${quote.error.detail}`);
  const q = quote.value;
  return {
    as_of: q.asOf,
    principal: formatFen(q.principalFen),
    interest: formatFen(q.interestFen),
    accrued_interest: formatFen(q.accruedInterestFen),
    fee: formatFen(q.feeFen),
    penalty: formatFen(q.penaltyFen),
    prepayment_fee: formatFen(q.prepaymentFeeFen),
    total: formatFen(q.totalFen),
    interest_saved: formatFen(q.interestSavedFen),
  };
}

export function registerPayoffCommand(program: Command): void {
  addLoanFlags(
    program
      .command('payoff')
      .description(
        '结清报价：what settles a loan in full on a date (JSON on stdin or flags)',
      ),
  )
    .option('--penalty <yuan>', 'penalty interest and late fees to the date')
    .action(async (flags: LoanFlags & { penalty?: string }) => {
      const extra =
        flags.penalty === undefined ? {} : { penalty: flags.penalty };
      await runLoanCommand(flags, extra, payoffAnswer);
    });
}
