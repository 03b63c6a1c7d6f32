// Who an unverified borrower of the HTTP chat is, checked against the store
// (spec/contracts.md: verified once two of full name, ID number or its last
// six characters, registered phone match the record).
//
// Candidates come from blind indexes only, never a scan: a full ID number
// (unique), a mobile number (a phone may be shared), the last six characters
// of an ID number (shared by a few records; bounded). Each candidate's
// factors are read in this message, plus those held from earlier turns for
// the session's candidate, plus what the borrower's previous message says
// (the name often comes one message before the number). Exactly one record
// with two factors verifies; otherwise the best single-factor candidate is
// held for the next turn. The caller shows the dialogue engine nothing of a
// candidate until it is verified, so the answer never tells a partial match
// from no match.
import { detectPii } from '../../domain/compliance/pii-detect.js';
import {
  readIdNumber,
  readPhone,
} from '../../domain/dialogue/nlu/identifiers.js';
import { toHalfWidth } from '../../domain/dialogue/nlu/normalize.js';
import {
  FACTORS_TO_VERIFY,
  identityNumbers,
  mergeFactors,
  readIdentity,
} from '../../domain/dialogue/policy/identity.js';
import type { VerificationFactor } from '../../domain/dialogue/policy/types.js';
import type { Customer } from '../db/repositories/customer-repository.js';

// Bound: records sharing one ID tail that are checked (a tail is shared by
// about one record per million customers).
export const CANDIDATES_PER_TAIL_MAX = 20;
// Bound: numbers of one message that are looked up.
const LOOKUPS_PER_MESSAGE_MAX = 4;
const ID_TAIL_CHARS = 6;
const DIGIT = /[0-9]/g;

export type CustomerLookup = {
  findById(id: string): Promise<Customer | undefined>;
  findByIdNumber(idNumber: string): Promise<Customer | undefined>;
  findByPhone(phone: string): Promise<Customer[]>;
  findByIdTail(tail: string, limit: number): Promise<Customer[]>;
};

export type IdentityInput = {
  readonly text: string;
  /** The session's held candidate and the factors it matched so far. */
  readonly candidate: string | undefined;
  readonly factors: readonly VerificationFactor[];
  /** The borrower's previous message, as written. */
  readonly previous: () => Promise<string | undefined>;
};

export type Identification = {
  /** The record now held for the session (verified or not). */
  readonly candidate: string | undefined;
  readonly factors: readonly VerificationFactor[];
  readonly verified: boolean;
};

function slotsOf(text: string) {
  const normalized = toHalfWidth(text).toLowerCase();
  const phone = readPhone(normalized)?.value;
  const idNumber = readIdNumber(normalized)?.value;
  return {
    ...(phone === undefined ? {} : { phone }),
    ...(idNumber === undefined ? {} : { id_number: idNumber }),
  };
}

async function candidatesOf(
  customers: CustomerLookup,
  text: string,
): Promise<Map<string, Customer>> {
  const found = new Map<string, Customer>();
  // Most messages carry fewer than five digits (a tail ending in X has
  // five, the fewest of any factor): no lookup.
  if ((toHalfWidth(text).match(DIGIT) ?? []).length < ID_TAIL_CHARS - 1)
    return found;
  const add = (customer: Customer | undefined) => {
    if (customer !== undefined) found.set(customer.id, customer);
  };
  const ids = new Set<string>();
  const phones = new Set<string>();
  const tails = new Set<string>();
  for (const hit of detectPii(text)) {
    if (hit.kind === 'id_number' && hit.checksumValid) ids.add(hit.value);
    else if (hit.kind === 'mobile') phones.add(hit.value);
  }
  const slots = slotsOf(text);
  if (slots.id_number !== undefined) ids.add(slots.id_number);
  if (slots.phone !== undefined) phones.add(slots.phone);
  for (const run of identityNumbers(text))
    if (run.length === ID_TAIL_CHARS) tails.add(run);
  let lookups = 0;
  for (const id of ids) {
    if (lookups++ >= LOOKUPS_PER_MESSAGE_MAX) break;
    add(await customers.findByIdNumber(id));
  }
  for (const phone of phones) {
    if (lookups++ >= LOOKUPS_PER_MESSAGE_MAX) break;
    for (const customer of await customers.findByPhone(phone)) add(customer);
  }
  for (const tail of tails) {
    if (lookups++ >= LOOKUPS_PER_MESSAGE_MAX) break;
    for (const customer of await customers.findByIdTail(
      tail,
      CANDIDATES_PER_TAIL_MAX,
    ))
      add(customer);
  }
  return found;
}

/** Matches this message (and the session's held factors) against the store. */
export async function identifyBorrower(
  customers: CustomerLookup,
  input: IdentityInput,
): Promise<Identification> {
  const found = await candidatesOf(customers, input.text);
  if (input.candidate !== undefined && !found.has(input.candidate)) {
    const held = await customers.findById(input.candidate);
    if (held !== undefined) found.set(held.id, held);
  }
  const held: Identification = {
    candidate: input.candidate,
    factors: input.candidate === undefined ? [] : input.factors,
    verified: false,
  };
  if (found.size === 0) return held;
  const slots = slotsOf(input.text);
  let previous: string | undefined;
  let previousRead = false;
  const scored: { id: string; factors: VerificationFactor[] }[] = [];
  for (const customer of found.values()) {
    const record = {
      name: customer.name,
      idNumber: customer.idNumber,
      phone: customer.phone,
    };
    let factors = mergeFactors(
      customer.id === input.candidate ? input.factors : [],
      readIdentity(input.text, slots, record).matched,
    );
    if (factors.length > 0 && factors.length < FACTORS_TO_VERIFY) {
      if (!previousRead) {
        previous = await input.previous();
        previousRead = true;
      }
      if (previous !== undefined)
        factors = mergeFactors(
          factors,
          readIdentity(previous, {}, record).matched,
        );
    }
    if (factors.length > 0) scored.push({ id: customer.id, factors });
  }
  const verified = scored.filter((s) => s.factors.length >= FACTORS_TO_VERIFY);
  const [only] = verified;
  if (verified.length === 1 && only !== undefined)
    return { candidate: only.id, factors: only.factors, verified: true };
  if (verified.length > 1) return held;
  const [single] = scored;
  if (scored.length === 1 && single !== undefined)
    return { candidate: single.id, factors: single.factors, verified: false };
  return held;
}
