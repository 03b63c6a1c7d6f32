// What the contact policy needs to know about a debtor's case besides the
// contact itself (spec/regulations.md §7.2): the collection-case state
// (COL-13: a signed 个性化分期 plan being kept pauses collection; COL-04:
// unreachable) and the recent contact log (COL-02 frequency, COL-04
// consecutive failures). One reader for every gate — an agent logging a
// call over HTTP and the reminder dispatcher alike — so both apply the same
// rules to the same facts.

import type {
  ContactChannel,
  ContactLog,
  ContactTarget,
} from '../../adapters/db/repositories/collection-repository.js';
import type { Repositories } from '../../adapters/db/repositories/index.js';
import type {
  CaseState,
  Channel,
  ContactLogEntry,
  ContactRecipient,
  Outcome,
} from '../../domain/compliance/contact-policy.js';
import {
  type LocalInstant,
  parseLocalInstant,
} from '../../domain/compliance/local-time.js';
import {
  addDays,
  type CalendarDate,
} from '../../domain/shared/calendar-date.js';

/** Days of contact history the frequency and reachability rules look at. */
export const CONTACT_LOOKBACK_DAYS = 7;

export const CHANNEL_STORED: Record<Channel, ContactChannel> = {
  call: 'phone',
  sms: 'sms',
  app: 'app',
  email: 'email',
  visit: 'visit',
};

export const TARGET_STORED: Record<ContactRecipient, ContactTarget> = {
  debtor: 'debtor',
  guarantor: 'guarantor',
  emergency_contact: 'emergency_contact',
  unrelated_third_party: 'third_party',
};

/** A stored contact as the contact policy counts it (letters are not counted). */
export function policyEntry(log: ContactLog): ContactLogEntry | undefined {
  const at = parseLocalInstant(log.contactedAt);
  const channel = (Object.keys(CHANNEL_STORED) as Channel[]).find(
    (c) => CHANNEL_STORED[c] === log.channel,
  );
  const recipient = (Object.keys(TARGET_STORED) as ContactRecipient[]).find(
    (r) => TARGET_STORED[r] === log.target,
  );
  if (at === undefined || channel === undefined || recipient === undefined)
    return undefined;
  const outcome: Outcome = log.outcome === 'sent' ? 'connected' : log.outcome;
  return { at, channel, recipient, outcome };
}

/** The loan facts the case state is read from. */
export type CaseLoan = { readonly id: string; readonly status: string };

/**
 * COL-13: a signed plan pauses collection while the loan is kept current
 * under it (status `restructured`); once a plan installment is missed the
 * end-of-day batch moves the loan to `overdue` and the plan is in breach.
 */
export async function caseStateOf(
  repos: Repositories,
  loan: CaseLoan | undefined,
): Promise<CaseState> {
  if (loan === undefined)
    return { planActive: false, planInBreach: false, debtorUnreachable: false };
  const agreements = await repos.negotiations.listAgreements(loan.id);
  const signed = agreements.length > 0;
  return {
    planActive: signed && loan.status === 'restructured',
    planInBreach:
      signed && (loan.status === 'overdue' || loan.status === 'collection'),
    debtorUnreachable: false,
  };
}

function localDate(instant: LocalInstant): CalendarDate {
  return addDays('1970-01-01' as CalendarDate, instant.localDay);
}

/** The customer's contacts of the lookback window, as the policy reads them. */
export async function contactHistory(
  repos: Repositories,
  customerId: string,
  at: LocalInstant,
): Promise<ContactLogEntry[]> {
  const offset = at.offsetMinutes;
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  const since = `${addDays(localDate(at), -CONTACT_LOOKBACK_DAYS)}T00:00:00${sign}${hours}:${minutes}`;
  const logs = await repos.collections.listContactsSince(customerId, since);
  return logs
    .map(policyEntry)
    .filter((e): e is ContactLogEntry => e !== undefined);
}
