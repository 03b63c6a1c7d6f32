// Wire schema of the customer 360 (GET /api/v1/customers/:id/overview): what
// an agent sees beside a conversation. Identity is always masked here; an
// unmasked read goes through GET /customers/:id?unmasked=true with a reason.
import { type Static, Type } from '@sinclair/typebox';

const Money = Type.String({ pattern: '^-?\\d+\\.\\d{2}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const OverviewInstallment = Type.Object({
  n: Type.Integer(),
  due_date: Type.String(),
  payment: Money,
  principal: Money,
  interest: Money,
  fee: Money,
  penalty: Money,
  paid: Money,
  outstanding: Money,
});

export const OverviewLoan = Type.Object({
  loan_no: Type.String(),
  status: Type.String(),
  principal: Money,
  rate_annual: Type.String(),
  term_months: Type.Integer(),
  method: Type.String(),
  start_date: Type.String(),
  outstanding: Money,
  next_due: Type.Union([
    Type.Object({ n: Type.Integer(), due_date: Type.String(), amount: Money }),
    Type.Null(),
  ]),
  overdue: Type.Object({
    days_past_due: Type.Integer({ minimum: 0 }),
    bucket: Type.String(),
    amount: Money,
    installments: Type.Integer({ minimum: 0 }),
  }),
  early_warning: Type.Union([
    Type.Object({
      score: Type.Integer(),
      reasons: Type.Array(Type.String()),
      as_of: Type.String(),
    }),
    Type.Null(),
  ]),
  installments: Type.Array(OverviewInstallment),
});

export const CustomerOverview = Type.Object({
  customer: Type.Object({
    id: Type.String(),
    name: Type.String(),
    id_number: Type.String(),
    phone: Type.String(),
    monthly_income: Nullable(Money),
    masked: Type.Literal(true),
  }),
  as_of: Type.String(),
  emergency_contacts: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      phone: Type.String(),
      relation: Type.String(),
    }),
  ),
  loans: Type.Array(OverviewLoan),
  payments: Type.Array(
    Type.Object({
      id: Type.String(),
      loan_no: Type.String(),
      kind: Type.String(),
      amount: Money,
      paid_on: Type.String(),
      channel: Type.String(),
    }),
  ),
  promises: Type.Array(
    Type.Object({
      id: Type.String(),
      loan_no: Type.String(),
      amount: Money,
      promised_on: Type.String(),
      status: Type.String(),
    }),
  ),
  contacts: Type.Array(
    Type.Object({
      id: Type.String(),
      channel: Type.String(),
      target: Type.String(),
      outcome: Type.String(),
      contacted_at: Type.String(),
      note: Nullable(Type.String()),
    }),
  ),
  tickets: Type.Array(
    Type.Object({
      ticket_no: Type.String(),
      ticket_type: Type.String(),
      status: Type.String(),
      summary: Type.String(),
      due_at: Type.String(),
    }),
  ),
  flags: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('risk'), Type.Literal('fraud')]),
      signal: Type.String(),
      at: Type.String(),
      conversation_id: Type.String(),
    }),
  ),
});
export type CustomerOverview = Static<typeof CustomerOverview>;
export type OverviewLoan = Static<typeof OverviewLoan>;
