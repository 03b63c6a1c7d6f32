// The demo book (演示数据): customers, loans in every state and bucket, all
// synthetic and reproducible from a seed. Pure: the seeding use case writes
// it through the repositories.
import type { Product } from '../../domain/catalogue/product.js';
import { dueDates } from '../../domain/loan/schedule/due-dates.js';
import type {
  LoanTerms,
  RepaymentMethod,
} from '../../domain/loan/schedule/types.js';
import { type Fen, fen } from '../../domain/money/fen.js';
import { parseRate, type Rate } from '../../domain/money/rate.js';
import {
  addDays,
  addMonths,
  type CalendarDate,
  daysBetween,
} from '../../domain/shared/calendar-date.js';
import { createPrng, type Prng } from './prng.js';
import {
  type SyntheticPerson,
  syntheticName,
  syntheticPerson,
} from './synthetic-identity.js';

export type DemoLoanState =
  | 'current'
  | 'overdue'
  | 'restructured'
  | 'settled'
  | 'written_off';

export type DemoCustomer = {
  readonly person: SyntheticPerson;
  readonly monthlyIncomeFen: Fen;
  readonly emergencyContacts: readonly {
    readonly name: string;
    readonly phone: string;
    readonly relation: 'spouse' | 'parent' | 'sibling' | 'friend' | 'colleague';
  }[];
};

export type DemoLoan = {
  readonly customerIndex: number;
  readonly productCode: string;
  readonly loanNo: string;
  readonly terms: LoanTerms;
  readonly state: DemoLoanState;
  /** Installments paid in full as of `today`. */
  readonly paidPeriods: number;
  /** Days past due of the oldest unpaid installment (0 when current). */
  readonly overdueDays: number;
};

export type DemoBook = {
  readonly today: CalendarDate;
  readonly customers: readonly DemoCustomer[];
  readonly loans: readonly DemoLoan[];
};

export type DemoBookOptions = {
  readonly seed: number;
  readonly today: CalendarDate;
  readonly catalogue: readonly Product[];
  readonly customers: number;
  readonly loans: number;
};

// Days-past-due ranges per bucket, M1 … M6+, so every bucket is populated.
const OVERDUE_RANGES: readonly (readonly [number, number])[] = [
  [1, 30],
  [31, 60],
  [61, 90],
  [91, 120],
  [121, 150],
  [151, 180],
  [181, 400],
];

const STATES: readonly (readonly [DemoLoanState, number])[] = [
  ['current', 58],
  ['overdue', 24],
  ['restructured', 5],
  ['settled', 10],
  ['written_off', 3],
];

function rateBetween(prng: Prng, min: Rate, max: Rate): Rate {
  // Rates on a 0.01 % grid between the product's bounds.
  const lo = Number((min.numerator * 10_000n) / min.denominator);
  const hi = Number((max.numerator * 10_000n) / max.denominator);
  const rate = parseRate((prng.int(lo, hi) / 10_000).toFixed(4));
  if (rate === undefined) throw new Error('demo: bad rate');
  return rate;
}

function amountFen(prng: Prng, product: Product): Fen {
  // Round amounts to 1,000 yuan, as people borrow.
  const lo = Number(product.amountFenMin / 100_000n);
  const hi = Math.min(Number(product.amountFenMax / 100_000n), lo * 20);
  return fen(BigInt(prng.int(lo, Math.max(lo, hi))) * 100_000n);
}

function termMonths(prng: Prng, product: Product): number {
  const choices = [6, 12, 18, 24, 36, 48, 60, 120, 240, 360].filter(
    (t) => t >= product.termMonthsMin && t <= product.termMonthsMax,
  );
  return choices.length > 0 ? prng.pick(choices) : product.termMonthsMin;
}

/** Start date and paid periods that put the loan in `state` on `today`. */
function placeInTime(
  prng: Prng,
  state: DemoLoanState,
  months: number,
  today: CalendarDate,
  bullet: boolean,
) {
  // A bullet loan has one period as long as its term.
  const periods = bullet ? 1 : months;
  const periodMonths = bullet ? months : 1;
  if (state === 'settled') {
    return {
      startDate: addDays(addMonths(today, -months), -prng.int(5, 300)),
      paidPeriods: periods,
      overdueDays: 0,
    };
  }
  if (state === 'current' || state === 'restructured') {
    const paidPeriods = prng.int(0, Math.max(0, periods - 1));
    // The next due date (paidPeriods + 1) falls 1 … 28 days from today.
    const nextDue = addDays(today, prng.int(1, 28));
    return {
      startDate: addMonths(nextDue, -(paidPeriods + 1) * periodMonths),
      paidPeriods,
      overdueDays: 0,
    };
  }
  const range =
    state === 'written_off' ? ([181, 400] as const) : prng.pick(OVERDUE_RANGES);
  const overdueDays = prng.int(range[0], range[1]);
  const missed = Math.min(
    periods,
    Math.ceil(overdueDays / (30 * periodMonths)),
  );
  const paidPeriods = Math.max(0, prng.int(0, periods - missed));
  // The oldest unpaid installment fell due `overdueDays` ago.
  const firstUnpaidDue = addDays(today, -overdueDays);
  return {
    startDate: addMonths(firstUnpaidDue, -(paidPeriods + 1) * periodMonths),
    paidPeriods,
    overdueDays,
  };
}

export function generateDemoBook(options: DemoBookOptions): DemoBook {
  const prng = createPrng(options.seed);
  const customers: DemoCustomer[] = [];
  for (let i = 0; i < options.customers; i += 1) {
    const person = syntheticPerson(prng);
    const relation = prng.pick([
      'spouse',
      'parent',
      'sibling',
      'friend',
      'colleague',
    ] as const);
    const contact = syntheticPerson(prng);
    customers.push({
      person,
      monthlyIncomeFen: fen(BigInt(prng.int(4, 60)) * 100_000n),
      emergencyContacts: [
        {
          name: relation === 'spouse' ? syntheticName(prng) : contact.name,
          phone: contact.phone,
          relation,
        },
      ],
    });
  }
  const loans: DemoLoan[] = [];
  // Month-end clamping can move a due date by a day or two: the days past due
  // are read back from the real due dates.
  const overdueDaysOf = (
    startDate: CalendarDate,
    months: number,
    method: RepaymentMethod,
    paid: number,
  ): number => {
    const dates =
      method === 'bullet'
        ? [addMonths(startDate, months)]
        : dueDates({ startDate }, months);
    const firstUnpaid = dates[paid];
    return firstUnpaid === undefined
      ? 0
      : Math.max(0, daysBetween(firstUnpaid, options.today));
  };
  const year = options.today.slice(0, 4);
  for (let i = 0; i < options.loans; i += 1) {
    const product = prng.pick(options.catalogue);
    const state = prng.weighted(STATES);
    const months = termMonths(prng, product);
    const method: RepaymentMethod = prng.pick(product.methods);
    const placed = placeInTime(
      prng,
      state,
      months,
      options.today,
      method === 'bullet',
    );
    loans.push({
      customerIndex:
        i < options.customers ? i : prng.int(0, options.customers - 1),
      productCode: product.code,
      loanNo: `L${year}${String(i + 1).padStart(6, '0')}`,
      terms: {
        principalFen: amountFen(prng, product),
        rateAnnual: rateBetween(
          prng,
          product.rateAnnualMin,
          product.rateAnnualMax,
        ),
        termMonths: months,
        method,
        startDate: placed.startDate,
        dayCount: '30/360',
        rounding: 'half_up',
        paymentMultipleFen: fen(1n),
        interestOnlyPeriods: 0,
        fees: [],
        prepayments: [],
      },
      state,
      paidPeriods: placed.paidPeriods,
      overdueDays:
        placed.overdueDays === 0
          ? 0
          : overdueDaysOf(placed.startDate, months, method, placed.paidPeriods),
    });
  }
  return { today: options.today, customers, loans };
}
