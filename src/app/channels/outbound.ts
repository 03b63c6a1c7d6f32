// The outbound message pipeline shared by reminders and complaint notices:
// gate (contact policy → frequency → compliance), deliver through a
// provider with retries and backoff, and recover messages a crash left in
// `sending`. Never sent twice: see docs/channels.md for the argument.

import type { Audit } from '../../adapters/channels/channel-runtime.js';
import type { ChannelConfig } from '../../adapters/channels/load-channel-content.js';
import type { ChannelProviders } from '../../adapters/channels/providers.js';
import type {
  MessageStatus,
  OutboundMessage,
} from '../../adapters/db/repositories/channel-repository.js';
import type { Repositories } from '../../adapters/db/repositories/index.js';
import {
  type GateOutcome,
  gateMessage,
  retryDelaySeconds,
} from '../../domain/channels/delivery.js';
import {
  type ContactDecision,
  type ContactPolicy,
  decideContact,
} from '../../domain/compliance/contact-policy.js';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import {
  atOffset,
  type LocalInstant,
  parseLocalInstant,
} from '../../domain/compliance/local-time.js';
import type { CheckResult } from '../../domain/compliance/types.js';
import { assert } from '../../domain/shared/assert.js';
import { caseStateOf, contactHistory } from '../collections/contact-case.js';

export type OutboundDeps = {
  readonly repositories: Repositories;
  /** Runs `work` in one database transaction. */
  readonly transaction: <T>(
    work: (repositories: Repositories, audit: Audit) => Promise<T>,
  ) => Promise<T>;
  readonly config: ChannelConfig;
  readonly contactPolicy: ContactPolicy;
  readonly engine: ComplianceEngine;
  readonly providers: ChannelProviders;
};

export type OutboundCounts = {
  queued: number;
  deferred: number;
  suppressed: number;
  sent: number;
  retrying: number;
  failed: number;
  uncertain: number;
  recovered: number;
};

export function emptyCounts(): OutboundCounts {
  return {
    queued: 0,
    deferred: 0,
    suppressed: 0,
    sent: 0,
    retrying: 0,
    failed: 0,
    uncertain: 0,
    recovered: 0,
  };
}

/** Bound: rows read per query; a run loops until nothing is due. */
const BATCH_SIZE = 200;
const MS_PER_MINUTE = 60_000;

/** The dispatcher's clock: one instant, in UTC and in the debtor's offset. */
export type Clock = {
  /** ISO-8601 UTC, the form stored in the database. */
  readonly iso: string;
  readonly ms: number;
  readonly local: LocalInstant;
};

export function clockAt(instant: string, offsetMinutes: number): Clock {
  const ms = Date.parse(instant);
  const parsed = parseLocalInstant(instant);
  assert(
    Number.isFinite(ms) && parsed !== undefined,
    () => `not an ISO instant with an offset: ${instant}`,
  );
  return {
    iso: new Date(ms).toISOString(),
    ms,
    local: atOffset(parsed, offsetMinutes),
  };
}

export function isoOfUtcMinute(utcMinute: number): string {
  return new Date(utcMinute * MS_PER_MINUTE).toISOString();
}

/** An instant as ISO-8601 with the given offset (contact logs keep it so). */
export function localIsoOf(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * MS_PER_MINUTE).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const magnitude = Math.abs(offsetMinutes);
  const hours = String(Math.floor(magnitude / 60)).padStart(2, '0');
  const minutes = String(magnitude % 60).padStart(2, '0');
  return `${local.slice(0, 19)}${sign}${hours}:${minutes}`;
}

/**
 * The contact policy's decision on a message: the debtor's real case state
 * (COL-13: a plan being kept pauses collection) and contact history, read
 * from the loan a reminder is about. Written messages go to the debtor only
 * (COL-03/COL-04: emergency contacts are never told of the debt).
 */
async function contactDecision(
  deps: OutboundDeps,
  message: OutboundMessage,
  clock: Clock,
): Promise<ContactDecision> {
  const repos = deps.repositories;
  const loanId =
    message.sourceType === 'reminder'
      ? await repos.channels.reminderLoanId(message.sourceId)
      : undefined;
  const loan =
    loanId === undefined ? undefined : await repos.loans.findById(loanId);
  return decideContact(deps.contactPolicy, {
    at: clock.local,
    channel: message.channel,
    purpose: message.purpose,
    recipient: 'debtor',
    caseState: await caseStateOf(repos, loan),
    log: await contactHistory(repos, message.customerId, clock.local),
  });
}

/** The quiet-hours part of the policy alone (checked again when sending). */
function quietHoursDecision(
  deps: OutboundDeps,
  message: OutboundMessage,
  clock: Clock,
): ContactDecision {
  return decideContact(deps.contactPolicy, {
    at: clock.local,
    channel: message.channel,
    purpose: message.purpose,
    recipient: 'debtor',
    caseState: {
      planActive: false,
      planInBreach: false,
      debtorUnreachable: false,
    },
    log: [],
  });
}

/** The compliance verdict of a stored message: subject and body, bot role. */
export function checkMessage(
  engine: ComplianceEngine,
  message: Pick<OutboundMessage, 'subject' | 'body' | 'amountFen'>,
  atMinute: number,
): CheckResult {
  const texts = [message.subject, message.body].filter(
    (text): text is string => text !== undefined && text !== '',
  );
  for (const text of texts) {
    const result = engine.check({
      text,
      role: 'bot',
      recipient: 'customer',
      atMinute,
      ...(message.amountFen === undefined
        ? {}
        : { facts: { amountsFen: [message.amountFen] } }),
    });
    if (result.verdict !== 'pass') return result;
  }
  return { verdict: 'pass', violations: [] };
}

async function gateOne(
  deps: OutboundDeps,
  message: OutboundMessage,
  clock: Clock,
  counts: OutboundCounts,
): Promise<void> {
  const from: MessageStatus[] = ['pending', 'deferred'];
  const channels = deps.repositories.channels;
  if (message.expiresAt <= clock.iso) {
    if (
      await channels.transition(message.id, from, 'suppressed', {
        rule: 'stale',
        reason: '消息已过有效期（应还金额可能已变化），不再发送。',
      })
    )
      counts.suppressed += 1;
    return;
  }
  const offset = deps.config.utcOffsetMinutes;
  const dayStartMinute = clock.local.localDay * 1440 - offset;
  const queuedToday = await channels.countQueuedBetween(
    message.customerId,
    message.channel,
    isoOfUtcMinute(dayStartMinute),
    isoOfUtcMinute(dayStartMinute + 1440),
  );
  const outcome: GateOutcome = gateMessage({
    at: clock.local,
    contact: await contactDecision(deps, message, clock),
    quietWindow: deps.contactPolicy.quietWindow,
    queuedToday,
    perDayMax: deps.config.messagesPerCustomerChannelDayMax,
    compliance: () =>
      checkMessage(deps.engine, message, clock.local.localMinute),
  });
  if (outcome.status === 'queued') {
    if (
      await channels.transition(message.id, from, 'queued', {
        queuedAt: clock.iso,
        rule: null,
        reason: null,
      })
    )
      counts.queued += 1;
  } else if (outcome.status === 'deferred') {
    if (
      await channels.transition(message.id, from, 'deferred', {
        rule: outcome.rule,
        reason: outcome.reason,
        notBefore: isoOfUtcMinute(outcome.notBeforeUtcMinute),
      })
    )
      counts.deferred += 1;
  } else if (
    await channels.transition(message.id, from, 'suppressed', {
      rule: outcome.rule,
      reason: outcome.reason,
    })
  ) {
    counts.suppressed += 1;
  }
}

async function deliverOne(
  deps: OutboundDeps,
  message: OutboundMessage,
  clock: Clock,
  counts: OutboundCounts,
): Promise<void> {
  const channels = deps.repositories.channels;
  const from: MessageStatus[] = ['queued', 'retrying'];
  // The hour is checked again at the moment of sending: a message queued
  // before the quiet window, or a retry falling inside it, waits.
  const contact = quietHoursDecision(deps, message, clock);
  if (!contact.allowed && contact.rule === 'COL-01') {
    const outcome = gateMessage({
      at: clock.local,
      contact,
      quietWindow: deps.contactPolicy.quietWindow,
      queuedToday: 0,
      perDayMax: 1,
      compliance: () => ({ verdict: 'pass', violations: [] }),
    });
    if (outcome.status === 'deferred')
      await channels.transition(message.id, from, message.status, {
        notBefore: isoOfUtcMinute(outcome.notBeforeUtcMinute),
      });
    return;
  }
  const provider = deps.providers[message.channel];
  if (provider === undefined) {
    if (
      await channels.transition(message.id, from, 'failed', {
        reason: `no provider configured for ${message.channel}`,
      })
    )
      counts.failed += 1;
    return;
  }
  // Claim: only the run that moves the row to `sending` may call the provider.
  const claimed = await channels.transition(message.id, from, 'sending', {
    claimedAt: clock.iso,
    incrementAttempts: true,
    provider: provider.name,
  });
  if (!claimed) return;
  const attempt = message.attempts + 1;
  const to = await channels.recipientOf(message.id);
  assert(to !== undefined, 'claimed message has a recipient');
  const outcome = await provider.send({
    messageId: message.id,
    customerId: message.customerId,
    channel: message.channel,
    to,
    subject: message.subject,
    body: message.body,
  });
  if (outcome.ok) {
    await deps.transaction(async (repos) => {
      await repos.channels.transition(message.id, ['sending'], 'sent', {
        sentAt: clock.iso,
        providerMessageId: outcome.providerMessageId,
        reason: null,
      });
      if (message.channel !== 'app')
        await repos.collections.logContact({
          customerId: message.customerId,
          channel: message.channel,
          target: 'debtor',
          outcome: 'sent',
          contactedAt: localIsoOf(clock.ms, deps.config.utcOffsetMinutes),
          note: `${message.templateId} ${message.id}`,
        });
    });
    counts.sent += 1;
    return;
  }
  const delay = outcome.retryable
    ? retryDelaySeconds(deps.config.retry, attempt)
    : undefined;
  if (delay === undefined) {
    await channels.transition(message.id, ['sending'], 'failed', {
      reason: `${outcome.error}（第${attempt}次尝试）`,
    });
    counts.failed += 1;
    return;
  }
  await channels.transition(message.id, ['sending'], 'retrying', {
    reason: `${outcome.error}（第${attempt}次尝试，${delay}秒后重试）`,
    notBefore: new Date(clock.ms + delay * 1000).toISOString(),
  });
  counts.retrying += 1;
}

/**
 * Messages a crash left in `sending` past the lease: an idempotent provider
 * is called again with the same key; otherwise the outcome is unknown and
 * the message is marked `uncertain`, never resent.
 */
export async function recoverInterrupted(
  deps: OutboundDeps,
  clock: Clock,
  counts: OutboundCounts,
): Promise<void> {
  const leaseStart = new Date(
    clock.ms - deps.config.sendingLeaseSeconds * 1000,
  ).toISOString();
  const channels = deps.repositories.channels;
  for (const message of await channels.stuckSending(leaseStart, 10_000)) {
    const provider = deps.providers[message.channel];
    if (provider?.idempotent === true) {
      if (
        await channels.transition(message.id, ['sending'], 'retrying', {
          notBefore: clock.iso,
          reason:
            '发送过程中断，使用同一消息编号重新提交（服务商按编号去重）。',
        })
      )
        counts.recovered += 1;
    } else if (
      await channels.transition(message.id, ['sending'], 'uncertain', {
        reason:
          '发送过程中断，无法确认是否已送达；为避免重复发送，不再自动重发，请人工核实。',
      })
    ) {
      counts.uncertain += 1;
    }
  }
}

async function eachDue(
  deps: OutboundDeps,
  statuses: readonly MessageStatus[],
  clock: Clock,
  onlyIds: readonly string[] | undefined,
  work: (message: OutboundMessage) => Promise<void>,
): Promise<void> {
  const seen = new Set<string>();
  for (;;) {
    const batch = (
      await deps.repositories.channels.messagesDue(
        statuses,
        clock.iso,
        BATCH_SIZE,
        onlyIds,
      )
    ).filter((message) => !seen.has(message.id));
    if (batch.length === 0) return;
    for (const message of batch) {
      seen.add(message.id);
      await work(message);
    }
  }
}

/** Gates every due pending/deferred message, then delivers every due one. */
export async function processOutbound(
  deps: OutboundDeps,
  clock: Clock,
  counts: OutboundCounts,
  onlyIds?: readonly string[],
): Promise<void> {
  await eachDue(deps, ['pending', 'deferred'], clock, onlyIds, (message) =>
    gateOne(deps, message, clock, counts),
  );
  await eachDue(deps, ['queued', 'retrying'], clock, onlyIds, (message) =>
    deliverOne(deps, message, clock, counts),
  );
}
