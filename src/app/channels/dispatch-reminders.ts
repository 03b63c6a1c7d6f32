// `loandesk reminders dispatch`: turns the reminders the end-of-day batch
// left pending into messages (one per configured channel the customer can
// be reached on), then runs the outbound pipeline: gate, deliver, retry.
//
// Decisions (docs/channels.md):
// - A message refused for the hour (COL-01) or the daily cap is DEFERRED to
//   the next allowed minute and gated again then (content included: some
//   rules depend on the hour); one refused by compliance or any other
//   contact rule is SUPPRESSED with the rule and the reason. Both are kept.
// - The reminder itself becomes `dispatched` once its messages exist (each
//   message carries its own delivery state), or `suppressed` when no channel
//   can reach the customer.

import type { PendingReminder } from '../../adapters/db/repositories/channel-repository.js';
import type { Customer } from '../../adapters/db/repositories/customer-repository.js';
import type { Repositories } from '../../adapters/db/repositories/index.js';
import { formatFen } from '../../contracts/money.js';
import {
  formatDateZh,
  type MessageChannel,
  REMINDER_KINDS,
  type ReminderKind,
  renderTemplate,
  type TemplateSet,
  type TemplateVariable,
} from '../../domain/channels/template.js';
import {
  maskEmail,
  maskMobile,
  maskName,
} from '../../domain/compliance/pii-mask.js';
import {
  calendarDate,
  toDayNumber,
} from '../../domain/shared/calendar-date.js';
import {
  type Clock,
  clockAt,
  emptyCounts,
  isoOfUtcMinute,
  type OutboundCounts,
  type OutboundDeps,
  processOutbound,
  recoverInterrupted,
} from './outbound.js';

export type DispatchDeps = OutboundDeps & { readonly templates: TemplateSet };

export type DispatchSummary = OutboundCounts & {
  reminders: number;
  remindersWithoutChannel: number;
  messagesPlanned: number;
};

/** Bound: reminders read per query; a run loops until none is pending. */
const REMINDER_BATCH = 200;
/** Bound: reminders one run plans (the EOD of a 1M book makes far fewer). */
const REMINDERS_PER_RUN_MAX = 1_000_000;

const COLLECTION_KINDS: readonly ReminderKind[] = [
  'overdue_m1',
  'overdue_m2',
  'overdue_m3_plus',
  'promise_broken',
];

/** The values every customer message shares (institution, channels, name). */
export function commonValues(
  deps: Pick<DispatchDeps, 'config'>,
  customer: Customer,
): Partial<Record<TemplateVariable, string>> {
  const config = deps.config;
  return {
    name: maskName(customer.name),
    repayment_channels: config.repaymentChannels
      .map((channel, index) => `${index + 1}. ${channel}`)
      .join('\n'),
    repayment_channel_short: config.repaymentChannelShort,
    institution: config.institutionZh,
    signature: config.smsSignature,
    hotline: config.hotline,
  };
}

/** Where a customer can be reached on a channel, or undefined. */
export async function addressOf(
  repositories: Repositories,
  deps: Pick<DispatchDeps, 'providers'>,
  customer: Customer,
  channel: MessageChannel,
): Promise<{ to: string; masked: string } | undefined> {
  if (deps.providers[channel] === undefined) return undefined;
  const settings = await repositories.channels.settings(customer.id);
  if (channel === 'sms')
    return settings.smsEnabled
      ? { to: customer.phone, masked: maskMobile(customer.phone) }
      : undefined;
  if (channel === 'email')
    return settings.emailEnabled && settings.email !== undefined
      ? { to: settings.email, masked: maskEmail(settings.email) }
      : undefined;
  return settings.appEnabled
    ? { to: customer.id, masked: `App ${maskName(customer.name)}` }
    : undefined;
}

function isReminderKind(kind: string): kind is ReminderKind {
  return (REMINDER_KINDS as readonly string[]).includes(kind);
}

async function planReminder(
  deps: DispatchDeps,
  reminder: PendingReminder,
  clock: Clock,
  summary: DispatchSummary,
): Promise<void> {
  await deps.transaction(async (repos) => {
    const customer = await repos.customers.findById(reminder.customerId);
    if (customer === undefined || !isReminderKind(reminder.kind)) {
      await repos.channels.settleReminder(
        reminder.id,
        'suppressed',
        customer === undefined
          ? '客户不存在'
          : `未知的提醒类型 ${reminder.kind}`,
      );
      summary.remindersWithoutChannel += 1;
      return;
    }
    const kind = reminder.kind;
    const values = {
      ...commonValues(deps, customer),
      amount: formatFen(reminder.amountFen),
      due_date: formatDateZh(reminder.dueDate),
      installment_n: String(reminder.installmentN),
      days_past_due: String(reminder.daysPastDue),
    };
    const offset = deps.config.utcOffsetMinutes;
    const expiresAt = isoOfUtcMinute(
      (toDayNumber(calendarDate(reminder.forDate)) +
        deps.config.messageValidDays) *
        1440 -
        offset,
    );
    const planned: string[] = [];
    for (const channel of deps.config.reminderChannels[kind]) {
      const address = await addressOf(repos, deps, customer, channel);
      if (address === undefined) continue;
      const rendered = renderTemplate(
        deps.templates.reminders[kind][channel],
        values,
      );
      await repos.channels.planMessage({
        dedupeKey: `reminder:${reminder.id}:${channel}`,
        sourceType: 'reminder',
        sourceId: reminder.id,
        customerId: customer.id,
        channel,
        purpose: COLLECTION_KINDS.includes(kind) ? 'collection' : 'reminder',
        templateId: rendered.templateId,
        recipient: address.to,
        recipientMasked: address.masked,
        subject: rendered.subject,
        body: rendered.body,
        amountFen: reminder.amountFen,
        notBefore: clock.iso,
        expiresAt,
      });
      planned.push(channel);
    }
    if (planned.length === 0) {
      await repos.channels.settleReminder(
        reminder.id,
        'suppressed',
        '客户没有可用的通知渠道',
      );
      summary.remindersWithoutChannel += 1;
      return;
    }
    await repos.channels.settleReminder(
      reminder.id,
      'dispatched',
      `已生成消息：${planned.join(', ')}`,
    );
    summary.messagesPlanned += planned.length;
  });
  summary.reminders += 1;
}

/**
 * One dispatcher run at `now` (ISO-8601 with an offset): recover interrupted
 * sends, plan pending reminders, gate and deliver every due message.
 * Rerunning at the same instant changes nothing.
 */
export async function dispatchReminders(
  deps: DispatchDeps,
  now: string,
): Promise<DispatchSummary> {
  const clock = clockAt(now, deps.config.utcOffsetMinutes);
  const summary: DispatchSummary = {
    ...emptyCounts(),
    reminders: 0,
    remindersWithoutChannel: 0,
    messagesPlanned: 0,
  };
  await recoverInterrupted(deps, clock, summary);
  while (summary.reminders < REMINDERS_PER_RUN_MAX) {
    const batch =
      await deps.repositories.channels.pendingReminders(REMINDER_BATCH);
    if (batch.length === 0) break;
    for (const reminder of batch)
      await planReminder(deps, reminder, clock, summary);
  }
  await processOutbound(deps, clock, summary);
  return summary;
}
