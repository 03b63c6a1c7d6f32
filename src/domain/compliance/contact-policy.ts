import { assert } from '../shared/assert.js';
import { atOffset, inMinuteWindow, type LocalInstant } from './local-time.js';
import type { MinuteWindow } from './types.js';

// "May I contact X by channel C at time T?" — the pre-dispatch gate for
// collections (spec/regulations.md §7.2). Every number comes from the policy
// (content/compliance/contact-policy.yaml): several sources are
// self-regulatory and revised.

export const CHANNELS = ['call', 'sms', 'app', 'email', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];
export const PURPOSES = ['collection', 'reminder'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const CONTACT_RECIPIENTS = [
  'debtor',
  'guarantor',
  'emergency_contact',
  'unrelated_third_party',
] as const;
export type ContactRecipient = (typeof CONTACT_RECIPIENTS)[number];
export const OUTCOMES = [
  'connected',
  'no_answer',
  'refused',
  'wrong_number',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type ContactPolicy = {
  version: string;
  /** COL-01: no contact inside this window without the debtor's consent. */
  quietWindow: MinuteWindow;
  quietChannels: readonly Channel[];
  /** COL-02: connected calls per contact per local day (the 4th is refused). */
  connectedCallsPerDayMax: number;
  /** COL-02: unanswered call attempts per contact per day (the 7th is refused). */
  unansweredAttemptsPerDayMax: number;
  /** COL-04: consecutive failed attempts after which the debtor is unreachable. */
  unreachableAfterFailedAttempts: number;
  /** COL-09 (S-): field visits per day; undefined when not limited. */
  visitsPerDayMax?: number;
};

export type ContactLogEntry = {
  at: LocalInstant;
  channel: Channel;
  recipient: ContactRecipient;
  outcome: Outcome;
};

export type CaseState = {
  planActive: boolean;
  planInBreach: boolean;
  debtorUnreachable: boolean;
};

export type ContactRequest = {
  /** When the contact would happen, in the debtor's UTC offset. */
  at: LocalInstant;
  channel: Channel;
  purpose: Purpose;
  recipient: ContactRecipient;
  /** Hours the debtor agreed to be contacted in, if any. */
  consentWindow?: MinuteWindow;
  caseState: CaseState;
  log: readonly ContactLogEntry[];
};

export type ContactRule =
  | 'COL-01'
  | 'COL-02'
  | 'COL-03'
  | 'COL-04'
  | 'COL-09'
  | 'COL-13';

export type ContactDecision =
  | { allowed: true }
  | { allowed: false; rule: ContactRule; reason: string };

const FAILED: readonly Outcome[] = ['no_answer', 'refused', 'wrong_number'];

function formatMinute(minute: number): string {
  const hours = String(Math.floor(minute / 60)).padStart(2, '0');
  return `${hours}:${String(minute % 60).padStart(2, '0')}`;
}

/**
 * Decides whether a collection contact may happen; refusals name the first
 * refusing rule in the order of spec/regulations.md and give a zh-CN reason.
 * @example decideContact(policy, request).allowed
 */
export function decideContact(
  policy: ContactPolicy,
  request: ContactRequest,
): ContactDecision {
  assert(
    policy.connectedCallsPerDayMax > 0,
    'policy allows at least one connected call',
  );
  const quiet = quietRefusal(policy, request);
  if (quiet !== undefined) return quiet;
  const frequency = frequencyRefusal(policy, request);
  if (frequency !== undefined) return frequency;
  if (request.recipient === 'unrelated_third_party') {
    return refuse(
      'COL-03',
      '只能向债务人或担保人催收，不得联系与债务无关的第三方。',
    );
  }
  if (
    request.recipient === 'emergency_contact' &&
    !isDebtorUnreachable(policy, request)
  ) {
    return refuse(
      'COL-04',
      `债务人尚未失联（需连续${policy.unreachableAfterFailedAttempts}次联系失败或号码无效），不得联系第三方。`,
    );
  }
  const { planActive, planInBreach } = request.caseState;
  if (request.purpose === 'collection' && planActive && !planInBreach) {
    return refuse('COL-13', '客户已签署并正常履行个性化还款协议，暂停催收。');
  }
  return { allowed: true };
}

function refuse(rule: ContactRule, reason: string): ContactDecision {
  return { allowed: false, rule, reason };
}

function quietRefusal(
  policy: ContactPolicy,
  request: ContactRequest,
): ContactDecision | undefined {
  if (!policy.quietChannels.includes(request.channel)) return undefined;
  const minute = request.at.localMinute;
  const { fromMinute, toMinute } = policy.quietWindow;
  if (!inMinuteWindow(minute, fromMinute, toMinute)) return undefined;
  const consent = request.consentWindow;
  if (
    consent !== undefined &&
    inMinuteWindow(minute, consent.fromMinute, consent.toMinute)
  ) {
    return undefined;
  }
  return refuse(
    'COL-01',
    `当地时间${formatMinute(minute)}处于${formatMinute(fromMinute)}至${formatMinute(toMinute)}的休息时段，且客户未同意在此时间联系。`,
  );
}

/** Log entries of the request's local day, before it, to the same recipient. */
function sameDayEntries(request: ContactRequest): ContactLogEntry[] {
  return request.log.filter((entry) => {
    const local = atOffset(entry.at, request.at.offsetMinutes);
    return (
      local.localDay === request.at.localDay &&
      entry.at.utcMinute <= request.at.utcMinute &&
      entry.recipient === request.recipient
    );
  });
}

function frequencyRefusal(
  policy: ContactPolicy,
  request: ContactRequest,
): ContactDecision | undefined {
  const today = sameDayEntries(request);
  if (request.channel === 'call') {
    const calls = today.filter((entry) => entry.channel === 'call');
    const connected = calls.filter(
      (entry) => entry.outcome === 'connected',
    ).length;
    if (connected >= policy.connectedCallsPerDayMax) {
      return refuse(
        'COL-02',
        `今日已接通${connected}次，已达每日${policy.connectedCallsPerDayMax}次上限。`,
      );
    }
    const unanswered = calls.length - connected;
    if (unanswered >= policy.unansweredAttemptsPerDayMax) {
      return refuse(
        'COL-02',
        `今日未接通的拨打已有${unanswered}次，已达每日${policy.unansweredAttemptsPerDayMax}次上限。`,
      );
    }
  }
  if (request.channel === 'visit' && policy.visitsPerDayMax !== undefined) {
    const visits = today.filter((entry) => entry.channel === 'visit').length;
    if (visits >= policy.visitsPerDayMax) {
      return refuse(
        'COL-09',
        `今日已上门${visits}次，已达每日${policy.visitsPerDayMax}次上限。`,
      );
    }
  }
  return undefined;
}

/** COL-04: flagged unreachable, a wrong number, or N consecutive failures. */
function isDebtorUnreachable(
  policy: ContactPolicy,
  request: ContactRequest,
): boolean {
  if (request.caseState.debtorUnreachable) return true;
  const attempts = request.log
    .filter(
      (entry) =>
        entry.recipient === 'debtor' &&
        entry.at.utcMinute <= request.at.utcMinute,
    )
    .sort((a, b) => a.at.utcMinute - b.at.utcMinute);
  const last = attempts[attempts.length - 1];
  if (last?.outcome === 'wrong_number') return true;
  const tail = attempts.slice(-policy.unreachableAfterFailedAttempts);
  return (
    tail.length === policy.unreachableAfterFailedAttempts &&
    tail.every((entry) => FAILED.includes(entry.outcome))
  );
}
