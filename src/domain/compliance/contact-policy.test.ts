// Proves the contact policy (COL-01 quiet hours and consent, COL-02 daily
// caps, COL-03 unrelated third parties, COL-04 emergency contacts only when the
// debtor is unreachable, COL-13 a current repayment plan) as a table: each row
// ends in the expected decision.
import { describe, expect, it } from 'vitest';
import {
  type ContactLogEntry,
  type ContactPolicy,
  type ContactRequest,
  decideContact,
  type Outcome,
} from './contact-policy.js';
import { parseLocalInstant } from './local-time.js';

const POLICY: ContactPolicy = {
  version: '2026.11.1',
  quietWindow: { fromMinute: 22 * 60, toMinute: 8 * 60 },
  quietChannels: ['call', 'sms', 'app', 'email', 'visit'],
  connectedCallsPerDayMax: 3,
  unansweredAttemptsPerDayMax: 6,
  unreachableAfterFailedAttempts: 3,
};

function at(text: string) {
  const instant = parseLocalInstant(text);
  if (instant === undefined) throw new Error(`bad instant ${text}`);
  return instant;
}

function calls(time: string, outcomes: Outcome[]): ContactLogEntry[] {
  return outcomes.map((outcome, index) => ({
    at: at(`2026-11-20T${time}:${String(10 + index)}+08:00`),
    channel: 'call',
    recipient: 'debtor',
    outcome,
  }));
}

function request(overrides: Partial<ContactRequest>): ContactRequest {
  return {
    at: at('2026-11-20T10:00:00+08:00'),
    channel: 'call',
    purpose: 'collection',
    recipient: 'debtor',
    caseState: {
      planActive: false,
      planInBreach: false,
      debtorUnreachable: false,
    },
    log: [],
    ...overrides,
  };
}

const CASES: [string, Partial<ContactRequest>, string | undefined][] = [
  ['a call at 10:00 with an empty log', {}, undefined],
  ['a call at 21:30', { at: at('2026-11-20T21:30:00+08:00') }, undefined],
  ['a call at 22:00', { at: at('2026-11-20T22:00:00+08:00') }, 'COL-01'],
  [
    'an SMS at 07:59',
    { at: at('2026-11-20T07:59:00+08:00'), channel: 'sms' },
    'COL-01',
  ],
  [
    'a call at 22:15 inside agreed hours 07:30-22:30',
    {
      at: at('2026-11-20T22:15:00+08:00'),
      consentWindow: { fromMinute: 450, toMinute: 1350 },
    },
    undefined,
  ],
  [
    'a call at 23:00 outside agreed hours',
    {
      at: at('2026-11-20T23:00:00+08:00'),
      consentWindow: { fromMinute: 450, toMinute: 1350 },
    },
    'COL-01',
  ],
  [
    'a call at 15:30 for a debtor whose offset is UTC',
    { at: at('2026-11-20T15:30:00Z') },
    undefined,
  ],
  [
    'a 4th call after 3 connected today',
    { log: calls('09', ['connected', 'connected', 'connected']) },
    'COL-02',
  ],
  [
    'a 3rd call after 2 connected today',
    { log: calls('09', ['connected', 'connected']) },
    undefined,
  ],
  [
    'a 7th attempt after 6 unanswered',
    { log: calls('09', Array(6).fill('no_answer')) },
    'COL-02',
  ],
  [
    'a call the next day after 3 connected yesterday',
    {
      at: at('2026-11-21T09:00:00+08:00'),
      log: calls('09', ['connected', 'connected', 'connected']),
    },
    undefined,
  ],
  [
    'an SMS after 3 connected calls',
    {
      channel: 'sms',
      log: calls('09', ['connected', 'connected', 'connected']),
    },
    undefined,
  ],
  [
    'an unrelated third party',
    { recipient: 'unrelated_third_party' },
    'COL-03',
  ],
  [
    'an emergency contact while the debtor answers',
    { recipient: 'emergency_contact', log: calls('09', ['connected']) },
    'COL-04',
  ],
  [
    'an emergency contact after 3 failed attempts',
    {
      recipient: 'emergency_contact',
      log: calls('09', ['no_answer', 'refused', 'no_answer']),
    },
    undefined,
  ],
  [
    'an emergency contact after a wrong number',
    { recipient: 'emergency_contact', log: calls('09', ['wrong_number']) },
    undefined,
  ],
  [
    'an emergency contact when the case says unreachable',
    {
      recipient: 'emergency_contact',
      caseState: {
        planActive: false,
        planInBreach: false,
        debtorUnreachable: true,
      },
    },
    undefined,
  ],
  ['a guarantor', { recipient: 'guarantor' }, undefined],
  [
    'collection while a plan is current',
    {
      caseState: {
        planActive: true,
        planInBreach: false,
        debtorUnreachable: false,
      },
    },
    'COL-13',
  ],
  [
    'a reminder while a plan is current',
    {
      purpose: 'reminder',
      caseState: {
        planActive: true,
        planInBreach: false,
        debtorUnreachable: false,
      },
    },
    undefined,
  ],
  [
    'collection after the plan is breached',
    {
      caseState: {
        planActive: true,
        planInBreach: true,
        debtorUnreachable: false,
      },
    },
    undefined,
  ],
];

describe('contact policy', () => {
  it.each(CASES)('decides %s', (_name, overrides, rule) => {
    const decision = decideContact(POLICY, request(overrides));
    if (rule === undefined) {
      expect(decision).toEqual({ allowed: true });
    } else {
      expect(decision).toMatchObject({ allowed: false, rule });
      if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(5);
    }
  });

  it('names the first refusing rule in the order of regulations.md', () => {
    const decision = decideContact(
      POLICY,
      request({
        at: at('2026-11-20T23:00:00+08:00'),
        recipient: 'unrelated_third_party',
      }),
    );
    expect(decision).toMatchObject({ allowed: false, rule: 'COL-01' });
  });
});
