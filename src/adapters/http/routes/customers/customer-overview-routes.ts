import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import {
  CustomerOverview,
  type OverviewLoan,
} from '../../../../contracts/customer-overview.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import {
  maskMobile,
  maskName,
} from '../../../../domain/compliance/pii-mask.js';
import { delinquencyBucket } from '../../../../domain/loan/delinquency/classification.js';
import { formatRate } from '../../../../domain/money/rate.js';
import {
  type CalendarDate,
  daysBetween,
} from '../../../../domain/shared/calendar-date.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Loan } from '../../../db/repositories/loan-repository.js';
import type { Database } from '../../../db/schema.js';
import { owed, rowView } from '../loans/loan-routes.js';
import { customerView } from './customer-routes.js';

// The customer 360 beside a conversation or a collection case: identity
// (masked), loans with their schedule and overdue state, payments, promises
// to pay, contacts, complaint tickets and the risk and fraud signals the bot
// raised. One request, a few bounded queries; nothing here unmasks PII.

// Bounds: the panel shows the most recent rows of each list.
const PAYMENTS_MAX = 50;
const CONTACTS_MAX = 50;
const TICKETS_MAX = 20;
const FLAGS_MAX = 20;
const FLAG_MESSAGES_MAX = 200;

export type CustomerOverviewRouteOptions = {
  readonly repositories: Repositories;
  readonly db: Kysely<Database>;
  readonly today: () => CalendarDate;
};

async function loanView(
  repos: Repositories,
  db: Kysely<Database>,
  loan: Loan,
  today: CalendarDate,
): Promise<OverviewLoan> {
  const rows = await repos.loans.schedule(loan.id);
  const owedOf = (row: (typeof rows)[number]) => {
    const o = owed(row);
    return o.principalFen + o.interestFen + o.feeFen + o.penaltyFen;
  };
  const late = rows.filter((row) => row.dueDate < today && owedOf(row) > 0n);
  const next = rows.find((row) => row.dueDate >= today && owedOf(row) > 0n);
  const oldest = late[0];
  const daysPastDue =
    oldest === undefined ? 0 : daysBetween(oldest.dueDate, today);
  const eod = await db
    .selectFrom('delinquency')
    .select(['early_warning_score', 'early_warning_reasons', 'as_of'])
    .where('loan_id', '=', loan.id)
    .executeTakeFirst();
  const reasons: unknown = JSON.parse(eod?.early_warning_reasons ?? '[]');
  return {
    loan_no: loan.loanNo,
    status: loan.status,
    principal: formatFen(loan.principalFen),
    rate_annual: formatRate(loan.rateAnnual, 6),
    term_months: loan.termMonths,
    method: loan.method,
    start_date: loan.startDate,
    outstanding: formatFen(rows.reduce((sum, row) => sum + owedOf(row), 0n)),
    next_due:
      next === undefined
        ? null
        : {
            n: next.n,
            due_date: next.dueDate,
            amount: formatFen(owedOf(next)),
          },
    overdue: {
      days_past_due: daysPastDue,
      bucket: delinquencyBucket(daysPastDue),
      amount: formatFen(late.reduce((sum, row) => sum + owedOf(row), 0n)),
      installments: late.length,
    },
    early_warning:
      eod?.early_warning_score === null || eod === undefined
        ? null
        : {
            score: Number(eod.early_warning_score),
            reasons: Array.isArray(reasons) ? reasons.map(String) : [],
            as_of: eod.as_of,
          },
    installments: rows.map(rowView),
  };
}

async function flagsOf(db: Kysely<Database>, customerId: string) {
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select(['m.actions', 'm.created_at', 'm.conversation_id'])
    .where('c.customer_id', '=', customerId)
    .where((eb) =>
      eb.or([
        eb('m.actions', 'like', '%"flag_risk"%'),
        eb('m.actions', 'like', '%"warn_fraud"%'),
      ]),
    )
    .orderBy('m.created_at', 'desc')
    .limit(FLAG_MESSAGES_MAX)
    .execute();
  const flags: CustomerOverview['flags'] = [];
  for (const row of rows) {
    const actions: unknown = JSON.parse(row.actions ?? '[]');
    if (!Array.isArray(actions)) continue;
    for (const action of actions as { type?: unknown; signal?: unknown }[]) {
      const kind =
        action?.type === 'flag_risk'
          ? 'risk'
          : action?.type === 'warn_fraud'
            ? 'fraud'
            : undefined;
      if (kind === undefined) continue;
      flags.push({
        kind,
        signal: typeof action.signal === 'string' ? action.signal : 'unknown',
        at: row.created_at,
        conversation_id: row.conversation_id,
      });
    }
  }
  return flags.slice(0, FLAGS_MAX);
}

async function overviewOf(
  options: CustomerOverviewRouteOptions,
  customerId: string,
): Promise<CustomerOverview | undefined> {
  const { repositories: repos, db } = options;
  const customer = await repos.customers.findById(customerId);
  if (customer === undefined) return undefined;
  const today = options.today();
  const loans = await repos.loans.listByCustomer(customerId);
  const loanNoById = new Map(loans.map((loan) => [loan.id, loan.loanNo]));
  const loanIds = [...loanNoById.keys()];
  const none = ['-'];
  const [contacts, payments, promises, tickets, flags, emergency] =
    await Promise.all([
      db
        .selectFrom('contact_logs')
        .selectAll()
        .where('customer_id', '=', customerId)
        .orderBy('contacted_at', 'desc')
        .limit(CONTACTS_MAX)
        .execute(),
      db
        .selectFrom('payments')
        .selectAll()
        .where('loan_id', 'in', loanIds.length > 0 ? loanIds : none)
        .orderBy('paid_on', 'desc')
        .orderBy('created_at', 'desc')
        .limit(PAYMENTS_MAX)
        .execute(),
      db
        .selectFrom('promises_to_pay')
        .selectAll()
        .where('loan_id', 'in', loanIds.length > 0 ? loanIds : none)
        .orderBy('promised_on', 'desc')
        .execute(),
      db
        .selectFrom('complaint_tickets')
        .select(['ticket_no', 'ticket_type', 'status', 'summary', 'due_at'])
        .where('customer_id', '=', customerId)
        .orderBy('due_at', 'desc')
        .limit(TICKETS_MAX)
        .execute(),
      flagsOf(db, customerId),
      repos.customers.listEmergencyContacts(customerId),
    ]);
  const loanViews: OverviewLoan[] = [];
  for (const loan of loans)
    loanViews.push(await loanView(repos, db, loan, today));
  const identity = customerView(customer, true);
  return {
    customer: { ...identity, masked: true },
    as_of: today,
    emergency_contacts: emergency.map((contact) => ({
      id: contact.id,
      name: maskName(contact.name),
      phone: maskMobile(contact.phone),
      relation: contact.relation,
    })),
    loans: loanViews,
    payments: payments.map((row) => ({
      id: row.id,
      loan_no: loanNoById.get(row.loan_id) ?? row.loan_id,
      kind: row.kind,
      amount: formatFen(row.amount_fen),
      paid_on: row.paid_on,
      channel: row.channel,
    })),
    promises: promises.map((row) => ({
      id: row.id,
      loan_no: loanNoById.get(row.loan_id) ?? row.loan_id,
      amount: formatFen(row.amount_fen),
      promised_on: row.promised_on,
      status: row.status,
    })),
    contacts: contacts.map((row) => ({
      id: row.id,
      channel: row.channel,
      target: row.target,
      outcome: row.outcome,
      contacted_at: row.contacted_at,
      note: row.note,
    })),
    tickets,
    flags,
  };
}

export const customerOverviewRoutes: FastifyPluginAsyncTypebox<
  CustomerOverviewRouteOptions
> = async (app, options) => {
  app.get(
    '/customers/:id/overview',
    {
      preHandler: app.requirePermission('loan.read'),
      schema: {
        tags: ['customers'],
        summary:
          '客户 360 视图（脱敏）：贷款与还款计划、逾期、还款记录、承诺还款、联系记录、投诉、风险与欺诈标记',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: CustomerOverview,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const overview = await overviewOf(options, request.params.id);
      if (overview === undefined)
        return reply.status(404).send({
          error: { code: 'customer.not_found', message: '未找到该客户。' },
        });
      return overview;
    },
  );
};
