import type { Command } from 'commander';
import { formatFen } from '../../../contracts/money.js';
import {
  allocatePayment,
  allocationTotalFen,
  type PaymentAllocation,
} from '../../../domain/loan/allocation/allocate-payment.js';
import {
  ALLOCATION_ORDERS,
  allocationPolicyFor,
} from '../../../domain/loan/allocation/allocation-policy.js';
import {
  type InstallmentBalance,
  installmentDueFen,
  type LoanBalance,
  type LoanBalanceError,
  totalDueFen,
} from '../../../domain/loan/allocation/loan-balance.js';
import { type Fen, ZERO_FEN } from '../../../domain/money/fen.js';
import { INSTALLMENTS_MAX } from '../../../domain/shared/limits.js';
import {
  readChoice,
  readDate,
  readInteger,
  readYuan,
} from '../../wire/schedule-codec.js';
import {
  InputError,
  type JsonObject,
  parseSingleObject,
  readStdin,
  runJsonl,
} from '../jsonl.js';

// `loandesk allocate`: a loan balance and a payment → where the payment goes
// (the waterfall), what is left owing and any overpayment. Input rows use
// the same shape as the `installments` of `loandesk penalty`, so the two
// compose: penalty to a date, then allocate a payment against it.
//
// In: {"id","payment","order"?: "installment_first|components_first",
//      "installments":[{"n"?,"due_date","principal","interest","fee",
//                       "penalty"}]}
// Out: {"id","payment","applied","remainder" (overpayment, neither credited
//   nor refunded: the caller decides),"allocations":[{n,fee,penalty,interest,
//   principal,total}] (installments that received money),"installments":[…]
//   (what is still owed),"total_due"}.

/** Reads an amount in yuan that must not be negative. */
export function readAmount(value: unknown, field: string): Fen {
  const amountFen = readYuan(value, field);
  if (amountFen < 0n) throw new InputError(`${field}: must not be negative`);
  return amountFen;
}

/** Reads a list of objects, naming the field when it is something else. */
export function readObjects(
  value: unknown,
  field: string,
  itemsMax: number,
): JsonObject[] {
  if (
    !Array.isArray(value) ||
    value.some((item) => item === null || typeof item !== 'object')
  ) {
    throw new InputError(`${field}: must be a list of objects`);
  }
  if (value.length > itemsMax) {
    throw new InputError(`${field}: at most ${itemsMax} items`);
  }
  return value as JsonObject[];
}

function optionalAmount(value: unknown, field: string): Fen {
  return value === undefined || value === null
    ? ZERO_FEN
    : readAmount(value, field);
}

/** Reads `installments` rows: due_date, principal, interest, fee, penalty. */
export function readBalanceRows(value: unknown, field: string): LoanBalance {
  const rows = readObjects(value, field, INSTALLMENTS_MAX);
  if (rows.length === 0) throw new InputError(`${field}: must not be empty`);
  const installments = rows.map(
    (row, index): InstallmentBalance => ({
      n:
        row.n === undefined
          ? index + 1
          : readInteger(row.n, `${field}[${index}].n`, 1, INSTALLMENTS_MAX),
      dueDate: readDate(row.due_date, `${field}[${index}].due_date`),
      principalFen: optionalAmount(
        row.principal,
        `${field}[${index}].principal`,
      ),
      interestFen: optionalAmount(row.interest, `${field}[${index}].interest`),
      feeFen: optionalAmount(row.fee, `${field}[${index}].fee`),
      penaltyFen: optionalAmount(row.penalty, `${field}[${index}].penalty`),
    }),
  );
  return { installments };
}

/** One line naming the field for a balance the domain refused. */
export function balanceErrorMessage(
  error: LoanBalanceError,
  field: string,
): string {
  switch (error.code) {
    case 'balance.no_installments':
      return `${field}: must not be empty (${error.code})`;
    case 'balance.too_many_installments':
      return `${field}: at most ${error.installmentsMax} installments (${error.code})`;
    case 'balance.negative_component':
      return `${field}: installment ${error.n} has a negative ${error.component} (${error.code})`;
    case 'balance.installments_out_of_order':
      return `${field}: installment ${error.n} is out of order by n or due_date (${error.code})`;
  }
}

export function formatBalanceRow(row: InstallmentBalance): JsonObject {
  return {
    n: row.n,
    due_date: row.dueDate,
    principal: formatFen(row.principalFen),
    interest: formatFen(row.interestFen),
    fee: formatFen(row.feeFen),
    penalty: formatFen(row.penaltyFen),
    total: formatFen(installmentDueFen(row)),
  };
}

function formatAllocation(result: PaymentAllocation): JsonObject {
  return {
    payment: formatFen(result.paymentFen),
    applied: formatFen(result.appliedFen),
    remainder: formatFen(result.remainderFen),
    allocations: result.allocations
      .filter((row) => allocationTotalFen(row) > 0n)
      .map((row) => ({
        n: row.n,
        fee: formatFen(row.feeFen),
        penalty: formatFen(row.penaltyFen),
        interest: formatFen(row.interestFen),
        principal: formatFen(row.principalFen),
        total: formatFen(allocationTotalFen(row)),
      })),
    installments: result.balance.installments.map(formatBalanceRow),
    total_due: formatFen(totalDueFen(result.balance)),
  };
}

/** Builds the answer for one request, or throws InputError. */
export function allocateAnswer(input: JsonObject): JsonObject {
  const paymentFen = readAmount(input.payment, 'payment');
  const order = readChoice(
    input.order ?? 'installment_first',
    'order',
    ALLOCATION_ORDERS,
  );
  const balance = readBalanceRows(input.installments, 'installments');
  const result = allocatePayment(
    balance,
    paymentFen,
    allocationPolicyFor(order),
  );
  if (!result.ok) {
    if (result.error.code === 'allocation.payment_not_positive') {
      throw new InputError(
        `payment: must be more than 0 (${result.error.code})`,
      );
    }
    throw new InputError(balanceErrorMessage(result.error, 'installments'));
  }
  return formatAllocation(result.value);
}

export function registerAllocateCommand(program: Command): void {
  program
    .command('allocate')
    .description(
      '还款分配：installments owed + a payment (JSON on stdin) → how the payment is allocated',
    )
    .option('--jsonl', 'one request per stdin line → one JSON answer per line')
    .action(async (flags: { jsonl?: boolean }) => {
      if (flags.jsonl === true) {
        await runJsonl(allocateAnswer);
        return;
      }
      const input = parseSingleObject(await readStdin());
      const output = { id: input.id ?? null, ...allocateAnswer(input) };
      process.stdout.write(`${JSON.stringify(output)}\n`);
    });
}
