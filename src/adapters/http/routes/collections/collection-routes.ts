import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import {
  CHANNEL_STORED,
  CONTACT_LOOKBACK_DAYS,
  caseStateOf,
  contactHistory,
  TARGET_STORED,
} from '../../../../app/collections/contact-case.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import { formatFen } from '../../../../contracts/money.js';
import { promiseKept } from '../../../../domain/collections/end-of-day.js';
import {
  CHANNELS,
  CONTACT_RECIPIENTS,
  type ContactPolicy,
  decideContact,
  OUTCOMES,
  PURPOSES,
} from '../../../../domain/compliance/contact-policy.js';
import { parseLocalInstant } from '../../../../domain/compliance/local-time.js';
import { maskName, maskPii } from '../../../../domain/compliance/pii-mask.js';
import { can, caseScope } from '../../../../domain/security/permissions.js';
import {
  addDays,
  type CalendarDate,
  daysBetween,
} from '../../../../domain/shared/calendar-date.js';
import { PAGE_SIZE_MAX } from '../../../../domain/shared/limits.js';
import { todayInChina } from '../../../clock/today.js';
import { appendAudit } from '../../../db/repositories/audit-repository.js';
import type {
  ContactLog,
  ContactOutcome,
  PromiseToPay,
} from '../../../db/repositories/collection-repository.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { Database } from '../../../db/schema.js';
import { readDate, readYuan } from '../../../wire/schedule-codec.js';
import type { Principal } from '../../plugins/auth.js';

// 催收作业 API: work queues by bucket and strategy (from the last end-of-day
// batch), case assignment, contact logging through the contact policy (a
// refused contact is not made: 422 with the rule and the zh-CN reason),
// call result codes, promises to pay, emergency-contact rules.

/** Collection strategy per delinquency bucket (SPEC capability 5). */
export function strategyOf(bucket: string): {
  strategy: 'reminders_calls' | 'negotiation' | 'legal_review' | 'none';
  strategyZh: string;
} {
  if (bucket === 'M0') return { strategy: 'none', strategyZh: '正常' };
  if (bucket === 'M1')
    return { strategy: 'reminders_calls', strategyZh: '短信提醒与电话催收' };
  if (bucket === 'M2')
    return { strategy: 'negotiation', strategyZh: '协商还款' };
  return { strategy: 'legal_review', strategyZh: '法务审查' };
}

/** Call result codes (结果代码) a collector records with a contact. */
export const RESULT_CODES = {
  promise_to_pay: '承诺还款',
  refuses_to_pay: '拒绝还款',
  dispute: '对欠款有异议',
  hardship: '经济困难，申请协商',
  callback: '约定回电',
  paid: '称已还款，待核实',
  message_relayed: '第三方同意转告',
  none: '无结果',
} as const;
type ResultCode = keyof typeof RESULT_CODES;
const RESULT_CODE_IDS = Object.keys(RESULT_CODES) as ResultCode[];

/** How far ahead a promise to pay may be dated (days). */
export const PROMISE_DAYS_MAX = 30;
/** Contacts in this many past days feed the policy's counters. */
/** `now` as an ISO instant in China time (+08:00), the debtor's offset by default. */
export function chinaInstant(now: Date): string {
  const shifted = new Date(now.getTime() + 8 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

export type CollectionRouteOptions = {
  readonly repositories: Repositories;
  readonly db: Kysely<Database>;
  readonly contactPolicy: () => ContactPolicy;
  readonly now: () => Date;
  readonly today: () => CalendarDate;
};

const Money = Type.String();
const QueueOutput = Type.Object({
  bucket: Type.String(),
  strategy: Type.String(),
  strategy_zh: Type.String(),
  cases: Type.Integer(),
  total_overdue: Money,
  outstanding_principal: Money,
});
const CaseOutput = Type.Object({
  loan_no: Type.String(),
  customer_id: Type.String(),
  customer_name: Type.String(),
  status: Type.String(),
  bucket: Type.String(),
  strategy: Type.String(),
  days_past_due: Type.Integer(),
  total_overdue: Money,
  penalty: Money,
  outstanding_principal: Money,
  as_of: Type.String(),
  assignees: Type.Array(Type.String()),
});
const ContactOutput = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  recipient: Type.String(),
  outcome: Type.String(),
  result_code: Type.Union([Type.String(), Type.Null()]),
  result_zh: Type.Union([Type.String(), Type.Null()]),
  contacted_at: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
});
const PromiseOutput = Type.Object({
  id: Type.String(),
  amount: Money,
  promised_on: Type.String(),
  status: Type.String(),
  created_at: Type.String(),
});

function contactView(log: ContactLog) {
  const code = log.resultCode as ResultCode | undefined;
  return {
    id: log.id,
    channel: log.channel,
    recipient: log.target,
    outcome: log.outcome,
    result_code: log.resultCode ?? null,
    result_zh: code === undefined ? null : (RESULT_CODES[code] ?? null),
    contacted_at: log.contactedAt,
    note: log.note ?? null,
  };
}

function promiseView(p: PromiseToPay) {
  return {
    id: p.id,
    amount: formatFen(p.amountFen),
    promised_on: p.promisedOn,
    status: p.status,
    created_at: p.createdAt,
  };
}

const NOT_FOUND = {
  error: { code: 'loan.not_found', message: '未找到该贷款。' },
} as const;

export const collectionRoutes: FastifyPluginAsyncTypebox<
  CollectionRouteOptions
> = async (app, options) => {
  const repos = options.repositories;
  const scopeOf = (principal: Principal | undefined) =>
    principal === undefined || caseScope(principal.roles) === 'all'
      ? undefined
      : principal.userId;

  app.get(
    '/collections/queues',
    {
      preHandler: app.requirePermission('collection.queue'),
      schema: {
        tags: ['collections'],
        summary: '催收工作队列（按账龄分组与策略；取自最近一次日终批处理）',
        response: {
          200: Type.Object({ queues: Type.Array(QueueOutput) }),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const rows = await repos.collectionWork.queues(
        scopeOf(request.principal),
      );
      return {
        queues: rows.map((row) => {
          const s = strategyOf(row.bucket);
          return {
            bucket: row.bucket,
            strategy: s.strategy,
            strategy_zh: s.strategyZh,
            cases: row.cases,
            total_overdue: formatFen(row.totalOverdueFen),
            outstanding_principal: formatFen(row.outstandingPrincipalFen),
          };
        }),
      };
    },
  );

  app.get(
    '/collections/cases',
    {
      preHandler: app.requirePermission('collection.queue'),
      schema: {
        tags: ['collections'],
        summary: '逾期案件列表（催收员只看分配给自己的案件）',
        querystring: Type.Object({
          bucket: Type.Optional(Type.String({ maxLength: 8 })),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX }),
          ),
        }),
        response: {
          200: Type.Object({ cases: Type.Array(CaseOutput) }),
          401: ErrorOutput,
          403: ErrorOutput,
        },
      },
    },
    async (request) => {
      const assignedTo = scopeOf(request.principal);
      const rows = await repos.collectionWork.cases({
        limit: request.query.limit ?? 100,
        ...(request.query.bucket === undefined
          ? {}
          : { bucket: request.query.bucket }),
        ...(assignedTo === undefined ? {} : { assignedTo }),
      });
      const cases = [];
      for (const row of rows) {
        const customer = await repos.customers.findById(row.customerId);
        cases.push({
          loan_no: row.loanNo,
          customer_id: row.customerId,
          customer_name: customer === undefined ? '' : maskName(customer.name),
          status: row.status,
          bucket: row.bucket,
          strategy: strategyOf(row.bucket).strategy,
          days_past_due: row.daysPastDue,
          total_overdue: formatFen(row.totalOverdueFen),
          penalty: formatFen(row.penaltyFen),
          outstanding_principal: formatFen(row.outstandingPrincipalFen),
          as_of: row.asOf,
          assignees: [...row.assignees],
        });
      }
      return { cases };
    },
  );

  app.get(
    '/collections/result-codes',
    {
      preHandler: app.requirePermission('collection.contact'),
      schema: {
        tags: ['collections'],
        summary: '通话结果代码',
        response: {
          200: Type.Array(
            Type.Object({ code: Type.String(), zh: Type.String() }),
          ),
        },
      },
    },
    async () =>
      RESULT_CODE_IDS.map((code) => ({ code, zh: RESULT_CODES[code] })),
  );

  const AssignmentBody = Type.Object({
    loan_no: Type.String({ maxLength: 40 }),
    username: Type.String({ maxLength: 64 }),
  });

  async function resolveAssignment(body: {
    loan_no: string;
    username: string;
  }) {
    const loan = await repos.loans.findByLoanNo(body.loan_no);
    const user = await repos.users.findByUsername(body.username);
    return { loan, user };
  }

  app.post(
    '/collections/assignments',
    {
      preHandler: app.requirePermission('collection.assign'),
      schema: {
        tags: ['collections'],
        summary: '分配案件给催收员或协商专员（主管）',
        body: AssignmentBody,
        response: {
          201: Type.Object({
            loan_no: Type.String(),
            username: Type.String(),
            created: Type.Boolean(),
          }),
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const { loan, user } = await resolveAssignment(request.body);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      if (
        user === undefined ||
        user.status !== 'active' ||
        !can(user.roles, 'collection.contact')
      )
        return reply.status(400).send({
          error: {
            code: 'collection.assignee_invalid',
            field: 'username',
            message: 'username: 只能分配给在职的催收员或协商专员。',
          },
        });
      const created = await repos.collectionWork.assign(
        loan.id,
        user.id,
        request.principal?.username ?? 'unknown',
      );
      return reply.status(201).send({
        loan_no: loan.loanNo,
        username: user.username,
        created,
      });
    },
  );

  app.delete(
    '/collections/assignments',
    {
      preHandler: app.requirePermission('collection.assign'),
      schema: {
        tags: ['collections'],
        summary: '收回案件分配（主管）',
        body: AssignmentBody,
        response: {
          200: Type.Object({ removed: Type.Boolean() }),
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const { loan, user } = await resolveAssignment(request.body);
      if (loan === undefined || user === undefined)
        return reply.status(404).send(NOT_FOUND);
      return {
        removed: await repos.collectionWork.unassign(
          loan.id,
          user.id,
          request.principal?.username ?? 'unknown',
        ),
      };
    },
  );

  app.get(
    '/collections/cases/:loanNo/contacts',
    {
      preHandler: app.requirePermission('collection.contact'),
      schema: {
        tags: ['collections'],
        summary: '联系记录（近 7 天）',
        params: Type.Object({ loanNo: Type.String({ maxLength: 40 }) }),
        response: {
          200: Type.Object({ contacts: Type.Array(ContactOutput) }),
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      const since = `${addDays(options.today(), -CONTACT_LOOKBACK_DAYS)}T00:00:00+08:00`;
      const logs = await repos.collections.listContactsSince(
        loan.customerId,
        since,
      );
      return { contacts: logs.map(contactView) };
    },
  );

  app.post(
    '/collections/cases/:loanNo/contacts',
    {
      preHandler: app.requirePermission('collection.contact'),
      schema: {
        tags: ['collections'],
        summary:
          '登记一次联系（先经催收联系策略判定；不允许的联系返回 422 与原因）',
        params: Type.Object({ loanNo: Type.String({ maxLength: 40 }) }),
        body: Type.Object({
          channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))),
          recipient: Type.Union(CONTACT_RECIPIENTS.map((r) => Type.Literal(r))),
          purpose: Type.Optional(
            Type.Union(PURPOSES.map((p) => Type.Literal(p))),
          ),
          outcome: Type.Union(
            [...OUTCOMES, 'sent' as const].map((o) => Type.Literal(o)),
          ),
          result_code: Type.Optional(
            Type.Union(RESULT_CODE_IDS.map((c) => Type.Literal(c))),
          ),
          emergency_contact_id: Type.Optional(Type.String({ maxLength: 64 })),
          note: Type.Optional(Type.String({ maxLength: 500 })),
          at: Type.Optional(
            Type.String({ maxLength: 40, description: 'ISO 8601 with offset' }),
          ),
        }),
        response: {
          201: ContactOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
          422: Type.Object({
            error: Type.Object({
              code: Type.String(),
              rule: Type.String(),
              message: Type.String(),
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      const atText = body.at ?? chinaInstant(options.now());
      const at = parseLocalInstant(atText);
      if (at === undefined)
        return reply.status(400).send({
          error: {
            code: 'input.invalid',
            field: 'at',
            message:
              'at: 须为带时区的 ISO 8601 时间，如 2026-11-20T10:00:00+08:00',
          },
        });
      if (body.recipient === 'emergency_contact') {
        const known = await repos.customers.listEmergencyContacts(
          loan.customerId,
        );
        if (!known.some((c) => c.id === body.emergency_contact_id))
          return reply.status(400).send({
            error: {
              code: 'contact.emergency_contact_unknown',
              field: 'emergency_contact_id',
              message: 'emergency_contact_id: 只能联系客户登记的紧急联系人。',
            },
          });
      }
      const decision = decideContact(options.contactPolicy(), {
        at,
        channel: body.channel,
        purpose: body.purpose ?? 'collection',
        recipient: body.recipient,
        caseState: await caseStateOf(repos, loan),
        log: await contactHistory(repos, loan.customerId, at),
      });
      const actor = request.principal?.username ?? 'unknown';
      if (!decision.allowed) {
        await appendAudit(
          options.db,
          {
            actor,
            action: 'collection.contact_refused',
            subjectType: 'loan',
            subjectId: loan.id,
            details: {
              rule: decision.rule,
              channel: body.channel,
              recipient: body.recipient,
              at: atText,
            },
          },
          options.now().toISOString(),
        );
        return reply.status(422).send({
          error: {
            code: 'contact.refused',
            rule: decision.rule,
            message: decision.reason,
          },
        });
      }
      const log = await repos.collections.logContact({
        customerId: loan.customerId,
        loanId: loan.id,
        ...(request.principal === undefined
          ? {}
          : { userId: request.principal.userId }),
        channel: CHANNEL_STORED[body.channel],
        target: TARGET_STORED[body.recipient],
        outcome: body.outcome as ContactOutcome,
        contactedAt: atText,
        ...(body.note === undefined ? {} : { note: maskPii(body.note) }),
        ...(body.result_code === undefined
          ? {}
          : { resultCode: body.result_code }),
      });
      return reply.status(201).send(contactView(log));
    },
  );

  app.get(
    '/collections/cases/:loanNo/promises',
    {
      preHandler: app.requirePermission('collection.promise'),
      schema: {
        tags: ['collections'],
        summary: '承诺还款记录（到期前已足额还款的标记为已履约）',
        params: Type.Object({ loanNo: Type.String({ maxLength: 40 }) }),
        response: {
          200: Type.Object({ promises: Type.Array(PromiseOutput) }),
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      await markKeptPromises(repos, loan.id, 'system');
      const promises = await repos.collections.listPromises(loan.id);
      return { promises: promises.map(promiseView) };
    },
  );

  app.post(
    '/collections/cases/:loanNo/promises',
    {
      preHandler: app.requirePermission('collection.promise'),
      schema: {
        tags: ['collections'],
        summary: '登记承诺还款（金额与日期）',
        params: Type.Object({ loanNo: Type.String({ maxLength: 40 }) }),
        body: Type.Object({
          amount: Type.Union([Type.String(), Type.Number()]),
          promised_on: Type.String({ maxLength: 10 }),
        }),
        response: {
          201: PromiseOutput,
          400: ErrorOutput,
          401: ErrorOutput,
          403: ErrorOutput,
          404: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const loan = await repos.loans.findByLoanNo(request.params.loanNo);
      if (loan === undefined) return reply.status(404).send(NOT_FOUND);
      const amountFen = readYuan(request.body.amount, 'amount');
      const promisedOn = readDate(request.body.promised_on, 'promised_on');
      const today = options.today();
      const ahead = daysBetween(today, promisedOn);
      if (amountFen <= 0n || ahead < 0 || ahead > PROMISE_DAYS_MAX)
        return reply.status(400).send({
          error: {
            code: 'promise.out_of_range',
            message: `承诺金额须大于零，承诺日期须在今天至 ${PROMISE_DAYS_MAX} 天内。`,
          },
        });
      const promise = await repos.collections.recordPromise(
        {
          loanId: loan.id,
          amountFen,
          promisedOn,
          ...(request.principal === undefined
            ? {}
            : { userId: request.principal.userId }),
        },
        request.principal?.username ?? 'unknown',
      );
      return reply.status(201).send(promiseView(promise));
    },
  );
};

/**
 * Marks a loan's pending promises kept as soon as its payments cover them
 * (the end-of-day batch's rule, `promiseKept`); a promise whose date passes
 * uncovered is left to the batch, which marks it broken.
 */
export async function markKeptPromises(
  repos: Repositories,
  loanId: string,
  actor: string,
): Promise<string[]> {
  const pending = (await repos.collections.listPromises(loanId)).filter(
    (p) => p.status === 'pending',
  );
  if (pending.length === 0) return [];
  const payments = (await repos.payments.listByLoan(loanId)).map((p) => ({
    date: p.paidOn,
    amountFen: p.amountFen,
  }));
  const kept: string[] = [];
  for (const promise of pending) {
    const judged = {
      amountFen: promise.amountFen,
      madeOn: todayInChina(new Date(promise.createdAt)),
      promisedOn: promise.promisedOn,
    };
    if (
      promiseKept(judged, payments) &&
      (await repos.collections.resolvePromise(promise.id, 'kept', actor))
    )
      kept.push(promise.id);
  }
  return kept;
}
