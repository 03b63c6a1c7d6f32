// Wire schemas of the loan engine (spec/contracts.md `loandesk schedule`),
// shared by the HTTP API (validation + OpenAPI), the CLI and the web app.
import { type Static, Type } from '@sinclair/typebox';

const Yuan = Type.Union([Type.String(), Type.Number()], {
  description: 'Amount in yuan: a decimal string "2992.60" or a number',
});
const Rate = Type.Union([Type.String(), Type.Number()], {
  description: 'Rate as a decimal: 0.049 for 4.9 %',
});
const IsoDate = Type.String({ description: 'YYYY-MM-DD' });
const Money = Type.String({
  pattern: '^-?\\d+\\.\\d{2}$',
  description: 'yuan with two decimals',
});
const RateOut = Type.Union([Type.String(), Type.Null()], {
  description: 'decimal with 6 places',
});

export const LoanInput = Type.Object(
  {
    principal: Yuan,
    annual_rate: Rate,
    term_months: Type.Union([Type.Integer(), Type.String()]),
    method: Type.String({
      description:
        'equal_installment | equal_principal | interest_first | bullet | flat',
    }),
    start_date: Type.Optional(IsoDate),
    first_due_date: Type.Optional(IsoDate),
    day_count: Type.Optional(
      Type.String({ description: '30/360 | actual/360 | actual/365' }),
    ),
    rounding: Type.Optional(
      Type.String({ description: 'half_up | half_even | down' }),
    ),
    payment_multiple: Type.Optional(Yuan),
    interest_only_periods: Type.Optional(Type.Integer()),
    prepayments: Type.Optional(
      Type.Array(
        Type.Object({
          after_period: Type.Integer(),
          amount: Yuan,
          mode: Type.Optional(Type.String()),
        }),
      ),
    ),
    fees: Type.Optional(
      Type.Array(
        Type.Object({
          kind: Type.String(),
          amount: Type.Optional(Yuan),
          rate: Type.Optional(Rate),
        }),
      ),
    ),
  },
  { additionalProperties: true },
);
export type LoanInput = Static<typeof LoanInput>;

export const SchedulePeriod = Type.Object({
  n: Type.Integer(),
  due_date: IsoDate,
  payment: Money,
  principal: Money,
  interest: Money,
  fee: Money,
  balance: Money,
});

export const ScheduleOutput = Type.Object({
  method: Type.String(),
  payment: Type.Union([Money, Type.Null()]),
  periods: Type.Array(SchedulePeriod),
  total_principal: Money,
  total_interest: Money,
  total_fees: Money,
  total_paid: Money,
  apr_nominal: RateOut,
  apr_effective: RateOut,
  prepayments: Type.Optional(
    Type.Array(
      Type.Object({
        after_period: Type.Integer(),
        amount: Money,
        mode: Type.String(),
        balance_before: Money,
        balance_after: Money,
      }),
    ),
  ),
});
export type ScheduleOutput = Static<typeof ScheduleOutput>;

export const PositionInput = Type.Object(
  {
    loan: LoanInput,
    paid_periods: Type.Optional(Type.Integer({ minimum: 0 })),
    as_of: Type.Optional(IsoDate),
    penalty: Type.Optional(Yuan),
    prepayment_fee: Type.Optional(
      Type.Object({
        share: Type.Optional(Rate),
        months_of_interest: Type.Optional(Type.Integer()),
        free_after_days: Type.Optional(Type.Integer()),
      }),
    ),
  },
  { additionalProperties: true },
);

export const PayoffOutput = Type.Object({
  as_of: IsoDate,
  principal: Money,
  interest: Money,
  accrued_interest: Money,
  fee: Money,
  penalty: Money,
  prepayment_fee: Money,
  total: Money,
  interest_saved: Money,
});

export type PayoffOutput = Static<typeof PayoffOutput>;

export const PrepayInput = Type.Intersect([
  PositionInput,
  Type.Object({ amount: Yuan, mode: Type.Optional(Type.String()) }),
]);

export const PrepayOutput = Type.Object({
  amount: Money,
  interest_due_now: Money,
  prepayment_fee: Money,
  pay_now: Money,
  interest_saved: Money,
  new_payment: Type.Union([Money, Type.Null()]),
  periods_left: Type.Integer(),
  schedule: ScheduleOutput,
});

export type PrepayOutput = Static<typeof PrepayOutput>;

export const DebtOutput = Type.Object({
  principal: Money,
  interest: Money,
  fee: Money,
  penalty: Money,
  total: Money,
});

export const RestructureInput = Type.Intersect([
  PositionInput,
  Type.Object({
    option: Type.String({
      description: 'extension | reamortization | stop_interest',
    }),
    months: Type.Integer(),
    rate: Type.Optional(Rate),
    waiver: Type.Optional(
      Type.Object({
        penalty: Type.Optional(Rate),
        interest: Type.Optional(Rate),
        fee: Type.Optional(Rate),
        principal: Type.Optional(Yuan),
      }),
    ),
  }),
]);

export const RestructureOutput = Type.Object({
  kind: Type.String(),
  months: Type.Integer(),
  debt: DebtOutput,
  waived: DebtOutput,
  capitalized: Money,
  due_at_signing: Money,
  first_payment: Money,
  monthly_payment: Money,
  total_paid: Money,
  schedule: ScheduleOutput,
});

export type RestructureOutput = Static<typeof RestructureOutput>;
export type DebtOutput = Static<typeof DebtOutput>;

export const ErrorOutput = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  }),
});
