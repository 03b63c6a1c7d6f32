import { parseYuanStrict } from '../../contracts/money.js';
import type { Product } from '../../domain/catalogue/product.js';
import {
  annualisedRate,
  factAmountsFen,
  loanFacts,
  repaymentPlans,
} from '../../domain/dialogue/policy/loan-facts.js';
import type { LoanAccount } from '../../domain/dialogue/policy/types.js';
import type { Rate } from '../../domain/money/rate.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import type { PersonaLedger } from '../../domain/training/figures.js';
import type { PersonaVariant } from '../../domain/training/persona.js';
import { parseSetup } from '../dialogue/setup-codec.js';

// What a persona's accounts show for `today`, every figure computed by the
// loan engine from the variant's `setup` (the `loandesk chat` scenario
// format), so that the persona can check the trainee's amounts, due dates
// and rates.

// Half-up to millionths, the precision a quoted percent is compared at.
function rateMicros(rate: Rate): bigint {
  return (
    (rate.numerator * 1_000_000n * 2n + rate.denominator) /
    (2n * rate.denominator)
  );
}

// The principal, every installment, the facts the bot may state (next
// installment, remaining principal, overdue amount and penalty, payoff
// today) and the restructuring plans.
function loanAmountsFen(loan: LoanAccount, today: CalendarDate): bigint[] {
  const amounts: bigint[] = [loan.schedule.terms.principalFen];
  for (const row of loan.schedule.installments)
    amounts.push(row.paymentFen, row.principalFen, row.interestFen);
  amounts.push(...factAmountsFen(loanFacts(loan, today)));
  for (const plan of repaymentPlans(loan, today))
    for (const value of [
      plan.first_payment,
      plan.monthly_payment,
      plan.total_paid,
      plan.due_at_signing,
    ]) {
      const parsed = parseYuanStrict(value);
      if (parsed.ok) amounts.push(parsed.value);
    }
  return amounts;
}

/**
 * The ledger of a variant: amounts and dates of its applications and loans
 * (none without a `setup`), its loans' contract rates and APRs, and the
 * catalogue's rate ranges.
 */
export function personaLedger(
  variant: PersonaVariant,
  catalogue: readonly Product[],
  today: CalendarDate,
): PersonaLedger {
  const data =
    variant.setup === null || variant.setup === undefined
      ? { applications: [], loans: [] }
      : parseSetup(variant.setup, today);
  return {
    amountsFen: [
      ...data.applications.map((a) => a.amountFen),
      ...data.loans.flatMap((loan) => loanAmountsFen(loan, today)),
    ],
    dates: [
      ...data.applications.map((a) => a.submittedDate),
      ...data.loans.flatMap((loan) =>
        loan.schedule.installments.map((row) => row.dueDate),
      ),
    ],
    rates: {
      loansMicros: data.loans.flatMap((loan) => [
        rateMicros(loan.schedule.terms.rateAnnual),
        rateMicros(annualisedRate(loan.schedule)),
      ]),
      rangesMicros: catalogue.map(
        (product) =>
          [
            rateMicros(product.rateAnnualMin),
            rateMicros(product.rateAnnualMax),
          ] as const,
      ),
    },
  };
}
