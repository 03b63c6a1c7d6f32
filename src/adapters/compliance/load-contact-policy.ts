import { readFileSync } from 'node:fs';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import {
  CHANNELS,
  type ContactPolicy,
} from '../../domain/compliance/contact-policy.js';
import { parseHourMinute } from '../../domain/compliance/local-time.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { DEFAULT_PACK_DIR } from './load-pack.js';

// Loads content/compliance/contact-policy.yaml, validated at load.

const HourMinute = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const Count = Type.Integer({ minimum: 1, maximum: 100 });

const ContactPolicySchema = Type.Object(
  {
    version: Type.String({ pattern: '^\\d{4}\\.\\d{1,2}\\.\\d+$' }),
    quiet_window: Type.Object(
      { from: HourMinute, to: HourMinute },
      { additionalProperties: false },
    ),
    quiet_channels: Type.Array(
      Type.Union(CHANNELS.map((channel) => Type.Literal(channel))),
    ),
    connected_calls_per_day_max: Count,
    unanswered_attempts_per_day_max: Count,
    unreachable_after_failed_attempts: Count,
    visits_per_day_max: Type.Union([Count, Type.Null()]),
  },
  { additionalProperties: false },
);
type ContactPolicyFile = Static<typeof ContactPolicySchema>;

/** Parses and validates a contact policy document. */
export function parseContactPolicy(
  text: string,
): Result<ContactPolicy, string[]> {
  const value: unknown = parse(text);
  if (!Value.Check(ContactPolicySchema, value)) {
    return err(
      [...Value.Errors(ContactPolicySchema, value)]
        .slice(0, 10)
        .map(
          (error) =>
            `contact-policy.yaml: ${error.path || '/'} ${error.message}`,
        ),
    );
  }
  const file: ContactPolicyFile = value;
  const policy: ContactPolicy = {
    version: file.version,
    quietWindow: {
      fromMinute: parseHourMinute(file.quiet_window.from) ?? 0,
      toMinute: parseHourMinute(file.quiet_window.to) ?? 0,
    },
    quietChannels: file.quiet_channels,
    connectedCallsPerDayMax: file.connected_calls_per_day_max,
    unansweredAttemptsPerDayMax: file.unanswered_attempts_per_day_max,
    unreachableAfterFailedAttempts: file.unreachable_after_failed_attempts,
  };
  if (file.visits_per_day_max !== null)
    policy.visitsPerDayMax = file.visits_per_day_max;
  return ok(policy);
}

let defaultPolicy: ContactPolicy | undefined;

/** The repository's contact policy, read once per process. */
export function defaultContactPolicy(): ContactPolicy {
  if (defaultPolicy !== undefined) return defaultPolicy;
  const parsed = parseContactPolicy(
    readFileSync(`${DEFAULT_PACK_DIR}/contact-policy.yaml`, 'utf8'),
  );
  if (!parsed.ok)
    throw new Error(`invalid contact policy: ${parsed.error.join('; ')}`);
  defaultPolicy = parsed.value;
  return defaultPolicy;
}
