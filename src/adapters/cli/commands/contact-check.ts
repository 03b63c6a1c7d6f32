import type { Command } from 'commander';
import {
  CHANNELS,
  CONTACT_RECIPIENTS,
  type ContactLogEntry,
  type ContactRequest,
  decideContact,
  OUTCOMES,
  PURPOSES,
} from '../../../domain/compliance/contact-policy.js';
import {
  type LocalInstant,
  parseHourMinute,
  parseLocalInstant,
} from '../../../domain/compliance/local-time.js';
import { CONTACT_LOG_ENTRIES_MAX } from '../../../domain/shared/limits.js';
import { defaultContactPolicy } from '../../compliance/load-contact-policy.js';
import {
  InputError,
  type JsonObject,
  parseSingleObject,
  readStdin,
  runJsonl,
} from '../jsonl.js';

// `loandesk contact-check`: may this collection contact happen now?
// (spec/contracts.md; rules COL-01 to COL-04 and COL-13.)

function oneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
): T {
  if (
    typeof value !== 'string' ||
    !(allowed as readonly string[]).includes(value)
  ) {
    throw new InputError(`${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function instant(value: unknown, field: string): LocalInstant {
  const parsed =
    typeof value === 'string' ? parseLocalInstant(value) : undefined;
  if (parsed === undefined)
    throw new InputError(`${field} must be an ISO 8601 time with an offset`);
  return parsed;
}

function flag(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean')
    throw new InputError(`${field} must be true or false`);
  return value;
}

function consentWindow(value: unknown): ContactRequest['consentWindow'] {
  if (value === undefined || value === null) return undefined;
  const from = parseHourMinute(String((value as { from?: unknown }).from));
  const to = parseHourMinute(String((value as { to?: unknown }).to));
  if (from === undefined || to === undefined) {
    throw new InputError(
      'consent_hours must be null or {"from":"HH:MM","to":"HH:MM"}',
    );
  }
  return { fromMinute: from, toMinute: to };
}

function logEntries(value: unknown): ContactLogEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError('log must be an array');
  if (value.length > CONTACT_LOG_ENTRIES_MAX) {
    throw new InputError(
      `log has more than ${CONTACT_LOG_ENTRIES_MAX} entries`,
    );
  }
  return value.map((raw: unknown, index) => {
    if (raw === null || typeof raw !== 'object')
      throw new InputError(`log[${index}] must be an object`);
    const entry = raw as JsonObject;
    return {
      at: instant(entry.at, `log[${index}].at`),
      channel: oneOf(entry.channel, CHANNELS, `log[${index}].channel`),
      recipient: oneOf(
        entry.recipient,
        CONTACT_RECIPIENTS,
        `log[${index}].recipient`,
      ),
      outcome: oneOf(entry.outcome, OUTCOMES, `log[${index}].outcome`),
    };
  });
}

/** Validates one contact-check request of spec/contracts.md. */
export function toContactRequest(input: JsonObject): ContactRequest {
  const caseValue = input.case ?? {};
  if (caseValue === null || typeof caseValue !== 'object')
    throw new InputError('case must be an object');
  const caseState = caseValue as JsonObject;
  const request: ContactRequest = {
    at: instant(input.at, 'at'),
    channel: oneOf(input.channel, CHANNELS, 'channel'),
    purpose: oneOf(input.purpose ?? 'collection', PURPOSES, 'purpose'),
    recipient: oneOf(input.recipient, CONTACT_RECIPIENTS, 'recipient'),
    caseState: {
      planActive: flag(caseState.plan_active, 'case.plan_active'),
      planInBreach: flag(caseState.plan_in_breach, 'case.plan_in_breach'),
      debtorUnreachable: flag(
        caseState.debtor_unreachable,
        'case.debtor_unreachable',
      ),
    },
    log: logEntries(input.log),
  };
  const consent = consentWindow(input.consent_hours);
  if (consent !== undefined) request.consentWindow = consent;
  return request;
}

function answer(input: JsonObject): JsonObject {
  const decision = decideContact(
    defaultContactPolicy(),
    toContactRequest(input),
  );
  return decision.allowed
    ? { allowed: true }
    : { allowed: false, rule: decision.rule, reason: decision.reason };
}

export function registerContactCheckCommand(program: Command): void {
  program
    .command('contact-check')
    .description('may this collection contact happen now? (催收联系策略)')
    .option('--jsonl', 'read one request per line from stdin')
    .action(async (options: { jsonl?: boolean }) => {
      if (options.jsonl === true) {
        await runJsonl(answer);
        return;
      }
      const input = parseSingleObject(await readStdin());
      process.stdout.write(
        `${JSON.stringify({ id: input.id ?? null, ...answer(input) })}\n`,
      );
    });
}
