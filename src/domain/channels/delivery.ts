import type { ContactDecision } from '../compliance/contact-policy.js';
import type { LocalInstant } from '../compliance/local-time.js';
import type { CheckResult, MinuteWindow } from '../compliance/types.js';
import { assert } from '../shared/assert.js';

// The pre-queue gate of every outbound message and the retry schedule.
// Order matters: time and frequency first (a refusal there defers the
// message, and the content is checked again when it is released, because
// some rules depend on the hour), then the content (a refusal suppresses
// it: an automated message has no human to rewrite it).

export type GateInput = {
  /** Now, in the debtor's UTC offset. */
  readonly at: LocalInstant;
  readonly contact: ContactDecision;
  /** The quiet window of the contact policy (COL-01), to know when it ends. */
  readonly quietWindow: MinuteWindow;
  /** Messages on this channel already queued for the customer today. */
  readonly queuedToday: number;
  readonly perDayMax: number;
  /** The compliance verdict, computed lazily: only when time and frequency allow. */
  readonly compliance: () => CheckResult;
};

export type GateOutcome =
  | { readonly status: 'queued' }
  | {
      readonly status: 'deferred';
      readonly rule: string;
      readonly reason: string;
      /** The earliest instant to try again, UTC minutes since the epoch. */
      readonly notBeforeUtcMinute: number;
    }
  | {
      readonly status: 'suppressed';
      readonly rule: string;
      readonly reason: string;
    };

const MINUTES_PER_DAY = 1440;

/** Minutes from `minute` until the end of the window it sits in. */
function minutesUntilWindowEnds(minute: number, window: MinuteWindow): number {
  const left = (window.toMinute - minute + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return left === 0 ? MINUTES_PER_DAY : left;
}

/** The first minute of the next local day when contact is allowed. */
export function nextDayOpeningUtcMinute(
  at: LocalInstant,
  quietWindow: MinuteWindow,
): number {
  const nextMidnight = (at.localDay + 1) * MINUTES_PER_DAY - at.offsetMinutes;
  // A quiet window that wraps midnight ends at its `toMinute`; otherwise the
  // day opens at midnight.
  const opening =
    quietWindow.fromMinute > quietWindow.toMinute ? quietWindow.toMinute : 0;
  return nextMidnight + opening;
}

/**
 * Decides whether a rendered message may be queued now.
 * @example gateMessage(input).status === 'deferred'
 */
export function gateMessage(input: GateInput): GateOutcome {
  assert(input.perDayMax > 0, 'gateMessage: perDayMax must be positive');
  const contact = input.contact;
  if (!contact.allowed) {
    if (contact.rule === 'COL-01') {
      return {
        status: 'deferred',
        rule: contact.rule,
        reason: contact.reason,
        notBeforeUtcMinute:
          input.at.utcMinute +
          minutesUntilWindowEnds(input.at.localMinute, input.quietWindow),
      };
    }
    return { status: 'suppressed', rule: contact.rule, reason: contact.reason };
  }
  if (input.queuedToday >= input.perDayMax) {
    return {
      status: 'deferred',
      rule: 'COL-02',
      reason: `该客户今日在此渠道已有${input.queuedToday}条消息，已达每日${input.perDayMax}条上限，顺延至次日发送。`,
      notBeforeUtcMinute: nextDayOpeningUtcMinute(input.at, input.quietWindow),
    };
  }
  const verdict = input.compliance();
  const first = verdict.violations[0];
  if (verdict.verdict !== 'pass' && first !== undefined) {
    return {
      status: 'suppressed',
      rule: first.rule,
      reason: `合规检查未通过（${first.category}）：${first.message}`,
    };
  }
  return { status: 'queued' };
}

export type RetryPolicy = {
  readonly attemptsMax: number;
  readonly backoffSecondsBase: number;
  readonly backoffSecondsMax: number;
};

/**
 * Seconds to wait after the `attempt`-th failed attempt (1-based):
 * exponential, capped; undefined when no attempt is left.
 * @example retryDelaySeconds({ attemptsMax: 5, backoffSecondsBase: 60, backoffSecondsMax: 3600 }, 2) === 120
 */
export function retryDelaySeconds(
  policy: RetryPolicy,
  attempt: number,
): number | undefined {
  assert(attempt >= 1, 'retryDelaySeconds: attempts are 1-based');
  if (attempt >= policy.attemptsMax) return undefined;
  const exponent = Math.min(attempt - 1, 30);
  return Math.min(
    policy.backoffSecondsBase * 2 ** exponent,
    policy.backoffSecondsMax,
  );
}
