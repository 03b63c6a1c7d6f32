// The complaint desk (投诉处理): open a ticket from chat, phone or e-mail
// with its regulatory deadline, assign, extend once, escalate as the
// deadline nears, and resolve — the customer is told on receipt, on an
// extension and on resolution through the outbound channels (SMS + in-app),
// each notice gated like every other message. Basis: spec/regulations.md
// CP-01 (15/30 days, +30 with approval and notice), CP-04 (20 days for a
// credit-report dispute), CP-03 (never discourage a complaint).

import type { ComplaintTicket } from '../../adapters/db/repositories/complaint-repository.js';
import type { Repositories } from '../../adapters/db/repositories/index.js';
import {
  formatDateZh,
  type MessageChannel,
  type NoticeKind,
  renderTemplate,
  type TemplateSet,
  type TemplateVariable,
} from '../../domain/channels/template.js';
import {
  type ComplaintPolicy,
  type ComplaintSource,
  type Complexity,
  deadlineLocalDay,
  deadlineUtcMinute,
  decisionDays,
  escalationLevel,
} from '../../domain/complaints/deadlines.js';
import type { Violation } from '../../domain/compliance/types.js';
import {
  type CalendarDate,
  fromDayNumber,
  toDayNumber,
} from '../../domain/shared/calendar-date.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { addressOf, commonValues } from '../channels/dispatch-reminders.js';
import {
  type Clock,
  clockAt,
  emptyCounts,
  isoOfUtcMinute,
  localIsoOf,
  type OutboundCounts,
  type OutboundDeps,
  processOutbound,
} from '../channels/outbound.js';

export type ComplaintDeps = OutboundDeps & {
  readonly templates: TemplateSet;
  readonly complaintPolicy: ComplaintPolicy;
};

export type ComplaintError =
  | { readonly code: 'complaint.not_found' }
  | { readonly code: 'complaint.unknown_category'; readonly category: string }
  | { readonly code: 'complaint.customer_not_found' }
  | { readonly code: 'complaint.already_resolved' }
  | { readonly code: 'complaint.already_extended' }
  | {
      readonly code: 'complaint.extension_out_of_range';
      readonly extensionDaysMax: number;
    }
  | {
      readonly code: 'complaint.resolution_not_compliant';
      readonly violations: readonly Violation[];
    }
  | { readonly code: 'complaint.assignee_not_found' };

export type NewComplaint = {
  readonly customerId?: string;
  readonly conversationId?: string;
  readonly source: ComplaintSource;
  readonly category: string;
  readonly complexity: Complexity;
  readonly summary: string;
};

const MS_PER_MINUTE = 60_000;

/** A ticket number readable on the phone: TS<local date>-<id tail>. */
function ticketNoOf(id: string, clock: Clock): string {
  const date = fromDayNumber(clock.local.localDay).replaceAll('-', '');
  return `TS${date}-${id.slice(-6).toUpperCase()}`;
}

/** The last day to decide, as customers read it (2026年12月5日). */
export function decisionDateZh(dueAt: string, offsetMinutes: number): string {
  const minute = Math.floor(Date.parse(dueAt) / MS_PER_MINUTE);
  return formatDateZh(fromDayNumber(deadlineLocalDay(minute, offsetMinutes)));
}

/**
 * Plans the notices of `kind` to the ticket's customer and sends what the
 * gate allows now; deferred ones go out with the next dispatcher run.
 */
async function notify(
  deps: ComplaintDeps,
  repos: Repositories,
  ticket: ComplaintTicket,
  kind: NoticeKind,
  extra: Partial<Record<TemplateVariable, string>>,
  clock: Clock,
): Promise<string[]> {
  if (ticket.customerId === undefined) return [];
  const customer = await repos.customers.findById(ticket.customerId);
  if (customer === undefined) return [];
  const values = {
    ...commonValues(deps, customer),
    ticket_no: ticket.ticketNo,
    decision_date: decisionDateZh(ticket.dueAt, deps.config.utcOffsetMinutes),
    ...extra,
  };
  const ids: string[] = [];
  const templates = deps.templates.complaints[kind];
  for (const channel of ['sms', 'app'] as const satisfies MessageChannel[]) {
    const template = templates[channel];
    if (template === undefined) continue;
    const address = await addressOf(repos, deps, customer, channel);
    if (address === undefined) continue;
    const rendered = renderTemplate(template, values);
    const id = await repos.channels.planMessage({
      dedupeKey: `complaint:${ticket.id}:${kind}:${channel}`,
      sourceType: 'complaint',
      sourceId: ticket.id,
      customerId: customer.id,
      channel,
      purpose: 'reminder',
      templateId: rendered.templateId,
      recipient: address.to,
      recipientMasked: address.masked,
      subject: rendered.subject,
      body: rendered.body,
      amountFen: undefined,
      notBefore: clock.iso,
      expiresAt: new Date(clock.ms + 7 * 1440 * MS_PER_MINUTE).toISOString(),
    });
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

export type ComplaintResult = {
  readonly ticket: ComplaintTicket;
  readonly notices: OutboundCounts;
};

async function sendNow(
  deps: ComplaintDeps,
  ids: readonly string[],
  clock: Clock,
): Promise<OutboundCounts> {
  const counts = emptyCounts();
  if (ids.length > 0) await processOutbound(deps, clock, counts, ids);
  return counts;
}

export async function openComplaint(
  deps: ComplaintDeps,
  input: NewComplaint,
  actor: string,
  now: string,
): Promise<Result<ComplaintResult, ComplaintError>> {
  const clock = clockAt(now, deps.config.utcOffsetMinutes);
  const policy = deps.complaintPolicy;
  if (!policy.categories.some((c) => c.id === input.category))
    return err({
      code: 'complaint.unknown_category',
      category: input.category,
    });
  if (
    input.customerId !== undefined &&
    (await deps.repositories.customers.findById(input.customerId)) === undefined
  )
    return err({ code: 'complaint.customer_not_found' });
  const days = decisionDays(policy, input.category, input.complexity);
  const dueAt = isoOfUtcMinute(deadlineUtcMinute(clock.local, days));
  const { ticket, ids } = await deps.transaction(async (repos, audit) => {
    const opened = await repos.complaints.openTicket({
      ticketNo: (id) => ticketNoOf(id, clock),
      ...(input.customerId === undefined
        ? {}
        : { customerId: input.customerId }),
      ...(input.conversationId === undefined
        ? {}
        : { conversationId: input.conversationId }),
      ticketType: 'complaint',
      summary: input.summary,
      dueAt,
      source: input.source,
      category: input.category,
      complexity: input.complexity,
    });
    await audit({
      actor,
      action: 'complaint.open',
      subjectType: 'complaint',
      subjectId: opened.id,
      details: {
        ticketNo: opened.ticketNo,
        source: input.source,
        category: input.category,
        complexity: input.complexity,
        decisionDays: days,
        dueAt,
      },
    });
    const noticeIds = await notify(deps, repos, opened, 'received', {}, clock);
    return { ticket: opened, ids: noticeIds };
  });
  return ok({ ticket, notices: await sendNow(deps, ids, clock) });
}

export async function assignComplaint(
  deps: ComplaintDeps,
  id: string,
  userId: string,
  actor: string,
): Promise<Result<ComplaintTicket, ComplaintError>> {
  const user = await deps.repositories.users.findById(userId);
  if (user === undefined) return err({ code: 'complaint.assignee_not_found' });
  return deps.transaction(async (repos, audit) => {
    const ticket = await repos.complaints.findById(id);
    if (ticket === undefined) return err({ code: 'complaint.not_found' });
    if (!(await repos.complaints.assign(id, userId)))
      return err({ code: 'complaint.already_resolved' });
    await audit({
      actor,
      action: 'complaint.assign',
      subjectType: 'complaint',
      subjectId: id,
      details: { assignedUserId: userId, from: ticket.assignedUserId ?? null },
    });
    const updated = await repos.complaints.findById(id);
    return updated === undefined
      ? err({ code: 'complaint.not_found' })
      : ok(updated);
  });
}

/** CP-01: one extension, with a reason, up to the policy's days; told to the customer. */
export async function extendComplaint(
  deps: ComplaintDeps,
  id: string,
  days: number,
  reason: string,
  actor: string,
  now: string,
): Promise<Result<ComplaintResult, ComplaintError>> {
  const clock = clockAt(now, deps.config.utcOffsetMinutes);
  const max = deps.complaintPolicy.extensionDaysMax;
  if (!Number.isInteger(days) || days < 1 || days > max)
    return err({
      code: 'complaint.extension_out_of_range',
      extensionDaysMax: max,
    });
  const outcome = await deps.transaction(async (repos, audit) => {
    const ticket = await repos.complaints.findById(id);
    if (ticket === undefined)
      return err({ code: 'complaint.not_found' as const });
    if (ticket.status === 'resolved' || ticket.status === 'closed')
      return err({ code: 'complaint.already_resolved' as const });
    const dueAt = new Date(
      Date.parse(ticket.dueAt) + days * 1440 * MS_PER_MINUTE,
    ).toISOString();
    if (!(await repos.complaints.extend(id, days, reason, dueAt)))
      return err({ code: 'complaint.already_extended' as const });
    await audit({
      actor,
      action: 'complaint.extend',
      subjectType: 'complaint',
      subjectId: id,
      details: { days, reason, from: ticket.dueAt, to: dueAt },
    });
    const extended = {
      ...ticket,
      dueAt,
      extensionDays: days,
      extensionReason: reason,
    };
    const ids = await notify(
      deps,
      repos,
      extended,
      'extended',
      { extension_reason: reason },
      clock,
    );
    return ok({ ticket: extended, ids });
  });
  if (!outcome.ok) return outcome;
  return ok({
    ticket: outcome.value.ticket,
    notices: await sendNow(deps, outcome.value.ids, clock),
  });
}

export async function resolveComplaint(
  deps: ComplaintDeps,
  id: string,
  resolution: string,
  actor: string,
  now: string,
): Promise<Result<ComplaintResult, ComplaintError>> {
  const clock = clockAt(now, deps.config.utcOffsetMinutes);
  // The resolution is told to the customer: it is checked as an agent's
  // message first, and a blocked text is refused with the findings.
  const verdict = deps.engine.check({
    text: resolution,
    role: 'agent',
    recipient: 'customer',
    atMinute: clock.local.localMinute,
  });
  if (verdict.verdict === 'block')
    return err({
      code: 'complaint.resolution_not_compliant',
      violations: verdict.violations,
    });
  const outcome = await deps.transaction(async (repos, audit) => {
    const ticket = await repos.complaints.findById(id);
    if (ticket === undefined)
      return err({ code: 'complaint.not_found' as const });
    if (!(await repos.complaints.resolve(id, resolution, actor)))
      return err({ code: 'complaint.already_resolved' as const });
    const dueMs = Date.parse(ticket.dueAt);
    await audit({
      actor,
      action: 'complaint.resolve',
      subjectType: 'complaint',
      subjectId: id,
      details: {
        withinDeadline: clock.ms <= dueMs,
        dueAt: ticket.dueAt,
        escalationLevel: ticket.escalationLevel,
      },
    });
    const resolved = await repos.complaints.findById(id);
    if (resolved === undefined)
      return err({ code: 'complaint.not_found' as const });
    const ids = await notify(
      deps,
      repos,
      resolved,
      'resolved',
      {
        resolution: resolution.endsWith('。') ? resolution : `${resolution}。`,
      },
      clock,
    );
    return ok({ ticket: resolved, ids });
  });
  if (!outcome.ok) return outcome;
  return ok({
    ticket: outcome.value.ticket,
    notices: await sendNow(deps, outcome.value.ids, clock),
  });
}

export type EscalationSummary = {
  readonly checked: number;
  readonly escalated: readonly {
    readonly id: string;
    readonly ticketNo: string;
    readonly level: number;
    readonly dueAt: string;
  }[];
};

/** Bound: open tickets examined per run. */
const OPEN_TICKETS_MAX = 100_000;

/**
 * Raises every open ticket to the escalation level its remaining time calls
 * for. Idempotent: a ticket already at that level is not touched, so the
 * end-of-day batch and a cron job may both call it.
 */
export async function escalateComplaints(
  deps: ComplaintDeps,
  actor: string,
  now: string,
): Promise<EscalationSummary> {
  const clock = clockAt(now, deps.config.utcOffsetMinutes);
  const open = await deps.repositories.complaints.list({
    statuses: ['open', 'in_progress'],
    limit: OPEN_TICKETS_MAX,
  });
  const nowMinute = Math.floor(clock.ms / MS_PER_MINUTE);
  const escalated: EscalationSummary['escalated'][number][] = [];
  for (const ticket of open) {
    const dueMinute = Math.floor(Date.parse(ticket.dueAt) / MS_PER_MINUTE);
    const level = escalationLevel(deps.complaintPolicy, dueMinute, nowMinute);
    if (level <= ticket.escalationLevel) continue;
    const raised = await deps.transaction(async (repos, audit) => {
      if (!(await repos.complaints.escalateTo(ticket.id, level, clock.iso)))
        return false;
      await audit({
        actor,
        action: 'complaint.escalate',
        subjectType: 'complaint',
        subjectId: ticket.id,
        details: {
          from: ticket.escalationLevel,
          to: level,
          dueAt: ticket.dueAt,
          minutesLeft: dueMinute - nowMinute,
        },
      });
      return true;
    });
    if (raised)
      escalated.push({
        id: ticket.id,
        ticketNo: ticket.ticketNo,
        level,
        dueAt: ticket.dueAt,
      });
  }
  return { checked: open.length, escalated };
}

/**
 * The instant the end-of-day batch of `date` escalates as of: the close of
 * that business day (local midnight after it), or now when the day has not
 * closed yet. Rerunning the same date therefore escalates nothing new unless
 * the clock crossed a threshold meanwhile (escalation is idempotent).
 */
export function escalationInstantOfDay(
  date: CalendarDate,
  offsetMinutes: number,
  nowMs: number,
): string {
  const closeMs =
    ((toDayNumber(date) + 1) * 1440 - offsetMinutes) * MS_PER_MINUTE;
  return localIsoOf(Math.min(closeMs, nowMs), offsetMinutes);
}

/** Deadline countdown for lists and the UI. */
export function countdownOf(
  ticket: ComplaintTicket,
  nowMs: number,
  offsetMinutes: number,
): {
  minutesLeft: number;
  daysLeft: number;
  overdue: boolean;
  decisionDate: string;
} {
  const minutesLeft = Math.floor(
    (Date.parse(ticket.dueAt) - nowMs) / MS_PER_MINUTE,
  );
  return {
    minutesLeft,
    daysLeft: Math.floor(minutesLeft / 1440),
    overdue: minutesLeft < 0,
    decisionDate: decisionDateZh(ticket.dueAt, offsetMinutes),
  };
}
