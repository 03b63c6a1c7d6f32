// Wire schema of the supervisor dashboard (GET /api/v1/dashboard), shared by
// the route (validation + OpenAPI) and the web workspace. Amounts are yuan
// decimal strings; ratios are decimal strings with four places ("0.8125") or
// null when there is nothing to divide by.
import { type Static, Type } from '@sinclair/typebox';

const Money = Type.String({ pattern: '^-?\\d+\\.\\d{2}$' });
const Ratio = Type.Union([Type.String(), Type.Null()], {
  description: 'decimal with 4 places, null when the denominator is zero',
});
const Count = Type.Integer({ minimum: 0 });

export const DashboardQuery = Type.Object({
  days: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 90,
      description: 'window in days, ending today (default 14)',
    }),
  ),
});
export type DashboardQuery = Static<typeof DashboardQuery>;

export const DashboardOutput = Type.Object({
  as_of: Type.String({ description: 'business day (Asia/Shanghai)' }),
  days: Count,
  conversations_per_day: Type.Array(
    Type.Object({ date: Type.String(), total: Count, handed_off: Count }),
  ),
  containment: Type.Object({
    conversations: Count,
    contained: Count,
    rate: Ratio,
  }),
  handoff_reasons: Type.Array(
    Type.Object({ reason: Type.String(), count: Count }),
  ),
  compliance_blocks: Type.Array(
    Type.Object({ category: Type.String(), count: Count }),
  ),
  overdue_by_bucket: Type.Object({
    source: Type.Union([Type.Literal('eod'), Type.Literal('ledger')], {
      description:
        'eod: the last end-of-day batch (with penalty); ledger: computed from installments and payments',
    }),
    as_of: Type.Union([Type.String(), Type.Null()]),
    buckets: Type.Array(
      Type.Object({ bucket: Type.String(), loans: Count, amount: Money }),
    ),
  }),
  roll_rates: Type.Object({
    from_date: Type.String(),
    to_date: Type.String(),
    rates: Type.Array(
      Type.Object({
        from: Type.String(),
        to: Type.String(),
        loans: Count,
        rolled: Count,
        rate: Ratio,
      }),
    ),
  }),
  promises: Type.Object({
    kept: Count,
    broken: Count,
    pending: Count,
    kept_rate: Ratio,
  }),
  complaints: Type.Object({
    open: Count,
    overdue: Count,
    due_within_72h: Count,
    upcoming: Type.Array(
      Type.Object({
        ticket_no: Type.String(),
        ticket_type: Type.String(),
        status: Type.String(),
        due_at: Type.String(),
        hours_left: Type.Integer(),
      }),
    ),
  }),
});
export type DashboardOutput = Static<typeof DashboardOutput>;
