import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { formatFen } from '../../contracts/money.js';
import { formatRate } from '../../domain/money/rate.js';
import type { NegotiationPolicy } from '../../domain/negotiation/plans.js';
import { REAMORTIZATION_MONTHS_MAX } from '../../domain/shared/limits.js';
import { canonicalJson } from '../db/canonical-json.js';
import type { Repositories } from '../db/repositories/index.js';
import { InputError, type JsonObject } from '../wire/input-error.js';
import { parseNegotiationPolicy } from '../wire/negotiation-codec.js';

// The negotiation policy as data: the shipped default
// (content/negotiation/policy.yaml) and an administrator's stored override
// (negotiation_policies, newest version in force). One wire form — the
// field names of spec/contracts.md's `policy` — for the file, the database
// and GET/PUT /api/v1/negotiation/policy.

export const DEFAULT_NEGOTIATION_POLICY_FILE = fileURLToPath(
  new URL('../../../content/negotiation/policy.yaml', import.meta.url),
);

export const POLICY_FIELDS = [
  'max_months',
  'max_penalty_waiver',
  'max_interest_waiver',
  'min_first_payment_yuan',
  'settlement_discount_max',
  'discount_rate_annual',
] as const;

export type PolicyJson = {
  readonly max_months: number;
  readonly max_penalty_waiver: string;
  readonly max_interest_waiver: string;
  readonly min_first_payment_yuan: string;
  readonly settlement_discount_max: string;
  readonly discount_rate_annual: string;
};

export type PolicyInForce = {
  readonly policy: NegotiationPolicy;
  readonly version: number;
  readonly source: 'file' | 'database';
  readonly saved:
    | { readonly by: string; readonly at: string; readonly reason: string }
    | undefined;
};

// Shares and rates are shown with 6 decimals (exact for every value the
// policy is likely to hold; the stored form is the same text).
const RATE_PLACES = 6;

/** Every field required (a complete policy), each checked like the contract's. */
export function readPolicyFields(value: unknown): NegotiationPolicy {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('policy: must be a JSON object');
  const fields = value as JsonObject;
  for (const field of POLICY_FIELDS)
    if (fields[field] === undefined || fields[field] === null)
      throw new InputError(`policy.${field}: is required`);
  const unknown = Object.keys(fields).filter(
    (key) => !(POLICY_FIELDS as readonly string[]).includes(key),
  );
  if (unknown.length > 0)
    throw new InputError(`policy.${unknown[0]}: unknown field`);
  const policy = parseNegotiationPolicy(fields);
  if (policy.maxMonths > REAMORTIZATION_MONTHS_MAX)
    throw new InputError(
      `policy.max_months: at most ${REAMORTIZATION_MONTHS_MAX} (INT-06)`,
    );
  return policy;
}

export function policyJson(policy: NegotiationPolicy): PolicyJson {
  return {
    max_months: policy.maxMonths,
    max_penalty_waiver: formatRate(policy.maxPenaltyWaiver, RATE_PLACES),
    max_interest_waiver: formatRate(policy.maxInterestWaiver, RATE_PLACES),
    min_first_payment_yuan: formatFen(policy.minFirstPaymentFen),
    settlement_discount_max: formatRate(
      policy.settlementDiscountMax,
      RATE_PLACES,
    ),
    discount_rate_annual: formatRate(policy.discountRateAnnual, RATE_PLACES),
  };
}

/** Canonical JSON of a policy, as stored. */
export function policyBody(policy: NegotiationPolicy): string {
  return canonicalJson(policyJson(policy));
}

/** The shipped default: `version` and the six fields. */
export function loadPolicyFile(path = DEFAULT_NEGOTIATION_POLICY_FILE): {
  version: number;
  policy: NegotiationPolicy;
} {
  const document = parseYaml(readFileSync(path, 'utf8')) as unknown;
  if (document === null || typeof document !== 'object')
    throw new Error(`${path}: not a YAML mapping`);
  const { version, ...fields } = document as Record<string, unknown>;
  if (typeof version !== 'number' || !Number.isSafeInteger(version))
    throw new Error(`${path}: version must be a whole number`);
  try {
    return { version, policy: readPolicyFields(fields) };
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

let shipped: { version: number; policy: NegotiationPolicy } | undefined;

/** The shipped file's version (a first override is stored as the next one). */
export function shippedPolicyVersion(): number {
  shipped ??= loadPolicyFile();
  return shipped.version;
}

/** The policy in force: the newest stored version, else the shipped file. */
export async function negotiationPolicyInForce(
  repositories: Pick<Repositories, 'negotiations'>,
): Promise<PolicyInForce> {
  shipped ??= loadPolicyFile();
  const stored = await repositories.negotiations.latestPolicy();
  if (stored === undefined)
    return {
      policy: shipped.policy,
      version: shipped.version,
      source: 'file',
      saved: undefined,
    };
  return {
    policy: readPolicyFields(JSON.parse(stored.body) as unknown),
    version: stored.version,
    source: 'database',
    saved: {
      by: stored.createdBy,
      at: stored.createdAt,
      reason: stored.reason,
    },
  };
}
