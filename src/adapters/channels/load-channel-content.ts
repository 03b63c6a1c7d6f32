import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import type { RetryPolicy } from '../../domain/channels/delivery.js';
import {
  MESSAGE_CHANNELS,
  type MessageChannel,
  type MessageTemplate,
  NOTICE_KINDS,
  placeholdersOf,
  REMINDER_KINDS,
  type ReminderKind,
  TEMPLATE_VARIABLES,
  type TemplateSet,
} from '../../domain/channels/template.js';
import type { ComplaintPolicy } from '../../domain/complaints/deadlines.js';
import { detectPii } from '../../domain/compliance/pii-detect.js';
import { err, ok, type Result } from '../../domain/shared/result.js';

// Loads the channel content: message templates (content/templates/),
// channel configuration (content/channels/channels.yaml) and the complaint
// policy (content/compliance/complaint-policy.yaml), each validated at load.

const CONTENT_DIR = fileURLToPath(
  new URL('../../../content/', import.meta.url),
);
export const DEFAULT_TEMPLATES_FILE = `${CONTENT_DIR}templates/reminders.yaml`;
export const DEFAULT_CHANNEL_CONFIG_FILE = `${CONTENT_DIR}channels/channels.yaml`;
export const DEFAULT_COMPLAINT_POLICY_FILE = `${CONTENT_DIR}compliance/complaint-policy.yaml`;

const Version = Type.String({ pattern: '^\\d{4}\\.\\d{1,2}\\.\\d+$' });
const Text = Type.String({ minLength: 1, maxLength: 4000 });
const TemplateSchema = Type.Object(
  {
    subject: Type.Optional(Text),
    title: Type.Optional(Text),
    body: Text,
  },
  { additionalProperties: false },
);
const ChannelTemplates = Type.Object(
  {
    sms: Type.Optional(TemplateSchema),
    email: Type.Optional(TemplateSchema),
    app: Type.Optional(TemplateSchema),
  },
  { additionalProperties: false },
);
const TemplatesSchema = Type.Object(
  {
    version: Version,
    reminders: Type.Record(Type.String(), ChannelTemplates),
    complaints: Type.Record(Type.String(), ChannelTemplates),
  },
  { additionalProperties: false },
);

function schemaErrors(schema: TSchema, value: unknown, file: string): string[] {
  return [...Value.Errors(schema, value)]
    .slice(0, 10)
    .map((error) => `${file}: ${error.path || '/'} ${error.message}`);
}

function checkPlaceholders(
  id: string,
  texts: readonly (string | undefined)[],
  problems: string[],
): void {
  for (const text of texts) {
    if (text === undefined) continue;
    for (const name of placeholdersOf(text)) {
      if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name))
        problems.push(`template ${id}: unknown variable {{${name}}}`);
    }
  }
}

/** Parses and validates a templates document. */
export function parseTemplates(text: string): Result<TemplateSet, string[]> {
  const value: unknown = parse(text);
  if (!Value.Check(TemplatesSchema, value))
    return err(schemaErrors(TemplatesSchema, value, 'templates'));
  const file: Static<typeof TemplatesSchema> = value;
  const problems: string[] = [];
  const toTemplate = (
    id: string,
    channel: MessageChannel,
    raw: Static<typeof TemplateSchema>,
  ): MessageTemplate => {
    checkPlaceholders(id, [raw.subject, raw.title, raw.body], problems);
    if (channel === 'email' && raw.subject === undefined)
      problems.push(`template ${id}: an e-mail needs a subject`);
    if (channel === 'app' && raw.title === undefined)
      problems.push(`template ${id}: an in-app message needs a title`);
    const subject = channel === 'app' ? raw.title : raw.subject;
    return subject === undefined
      ? { id, body: raw.body }
      : { id, subject, body: raw.body };
  };
  const reminders = {} as Record<
    ReminderKind,
    Record<MessageChannel, MessageTemplate>
  >;
  for (const kind of REMINDER_KINDS) {
    const channels = file.reminders[kind];
    if (channels === undefined) {
      problems.push(`templates: reminder kind ${kind} has no templates`);
      continue;
    }
    const byChannel = {} as Record<MessageChannel, MessageTemplate>;
    for (const channel of MESSAGE_CHANNELS) {
      const raw = channels[channel];
      if (raw === undefined) {
        problems.push(`templates: ${kind} has no ${channel} template`);
        continue;
      }
      byChannel[channel] = toTemplate(`${kind}.${channel}`, channel, raw);
    }
    reminders[kind] = byChannel;
  }
  const complaints = {} as TemplateSet['complaints'] & Record<string, unknown>;
  for (const kind of NOTICE_KINDS) {
    const channels = file.complaints[kind];
    if (channels === undefined) {
      problems.push(`templates: complaint notice ${kind} has no templates`);
      continue;
    }
    const byChannel: Partial<Record<MessageChannel, MessageTemplate>> = {};
    for (const channel of MESSAGE_CHANNELS) {
      const raw = channels[channel];
      if (raw !== undefined)
        byChannel[channel] = toTemplate(
          `complaint_${kind}.${channel}`,
          channel,
          raw,
        );
    }
    (complaints as Record<string, unknown>)[kind] = byChannel;
  }
  for (const kind of Object.keys(file.reminders)) {
    if (!(REMINDER_KINDS as readonly string[]).includes(kind))
      problems.push(`templates: unknown reminder kind ${kind}`);
  }
  if (problems.length > 0) return err(problems);
  return ok({ version: file.version, reminders, complaints });
}

export function loadTemplates(
  path: string = DEFAULT_TEMPLATES_FILE,
): TemplateSet {
  const parsed = parseTemplates(readFileSync(path, 'utf8'));
  if (!parsed.ok)
    throw new Error(`invalid templates ${path}: ${parsed.error.join('; ')}`);
  return parsed.value;
}

const ChannelList = Type.Array(
  Type.Union(MESSAGE_CHANNELS.map((c) => Type.Literal(c))),
  { minItems: 1, maxItems: 3 },
);
const Count = Type.Integer({ minimum: 1, maximum: 1000 });
const ChannelConfigSchema = Type.Object(
  {
    version: Version,
    institution_zh: Type.String({ minLength: 1, maxLength: 60 }),
    sms_signature: Type.String({ minLength: 1, maxLength: 30 }),
    hotline: Type.String({ pattern: '^[0-9-]{5,20}$' }),
    repayment_channels: Type.Array(
      Type.String({ minLength: 2, maxLength: 80 }),
      {
        minItems: 1,
        maxItems: 10,
      },
    ),
    repayment_channel_short: Type.String({ minLength: 2, maxLength: 40 }),
    utc_offset: Type.String({ pattern: '^[+-](0\\d|1[0-4]):[0-5]\\d$' }),
    reminder_channels: Type.Record(Type.String(), ChannelList),
    messages_per_customer_channel_day_max: Count,
    message_valid_days: Type.Integer({ minimum: 1, maximum: 30 }),
    retry: Type.Object(
      {
        attempts_max: Type.Integer({ minimum: 1, maximum: 20 }),
        backoff_seconds_base: Count,
        backoff_seconds_max: Type.Integer({ minimum: 1, maximum: 86_400 }),
      },
      { additionalProperties: false },
    ),
    sending_lease_seconds: Type.Integer({ minimum: 10, maximum: 86_400 }),
  },
  { additionalProperties: false },
);

export type ChannelConfig = {
  readonly version: string;
  readonly institutionZh: string;
  readonly smsSignature: string;
  readonly hotline: string;
  readonly repaymentChannels: readonly string[];
  readonly repaymentChannelShort: string;
  /** Minutes east of UTC of the debtor's local time. */
  readonly utcOffsetMinutes: number;
  readonly reminderChannels: Readonly<
    Record<ReminderKind, readonly MessageChannel[]>
  >;
  readonly messagesPerCustomerChannelDayMax: number;
  readonly messageValidDays: number;
  readonly retry: RetryPolicy;
  readonly sendingLeaseSeconds: number;
};

// A personal account never appears in a repayment instruction (COL-08,
// "official channels only"): an entry with a card or mobile number, or a
// transfer to a person, is refused at load.
const PERSONAL_TRANSFER = /(个人账户|私人账户|微信转账|支付宝转账|转账给)/;

/** Parses and validates a channel configuration document. */
export function parseChannelConfig(
  text: string,
): Result<ChannelConfig, string[]> {
  const value: unknown = parse(text);
  if (!Value.Check(ChannelConfigSchema, value))
    return err(schemaErrors(ChannelConfigSchema, value, 'channels.yaml'));
  const file: Static<typeof ChannelConfigSchema> = value;
  const problems: string[] = [];
  for (const channel of [
    ...file.repayment_channels,
    file.repayment_channel_short,
  ]) {
    const pii = detectPii(channel).filter(
      (hit) => hit.kind === 'bank_card' || hit.kind === 'mobile',
    );
    if (pii.length > 0 || PERSONAL_TRANSFER.test(channel))
      problems.push(
        `channels.yaml: repayment channel "${channel}" looks like a personal account; only official channels may be named`,
      );
  }
  const reminderChannels = {} as Record<ReminderKind, MessageChannel[]>;
  for (const kind of REMINDER_KINDS) {
    const channels = file.reminder_channels[kind];
    if (channels === undefined)
      problems.push(`channels.yaml: reminder_channels has no ${kind}`);
    else reminderChannels[kind] = [...new Set(channels)];
  }
  const sign = file.utc_offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = file.utc_offset.slice(1).split(':').map(Number);
  if (problems.length > 0) return err(problems);
  return ok({
    version: file.version,
    institutionZh: file.institution_zh,
    smsSignature: file.sms_signature,
    hotline: file.hotline,
    repaymentChannels: file.repayment_channels,
    repaymentChannelShort: file.repayment_channel_short,
    utcOffsetMinutes: sign * ((hours ?? 0) * 60 + (minutes ?? 0)),
    reminderChannels,
    messagesPerCustomerChannelDayMax:
      file.messages_per_customer_channel_day_max,
    messageValidDays: file.message_valid_days,
    retry: {
      attemptsMax: file.retry.attempts_max,
      backoffSecondsBase: file.retry.backoff_seconds_base,
      backoffSecondsMax: file.retry.backoff_seconds_max,
    },
    sendingLeaseSeconds: file.sending_lease_seconds,
  });
}

export function loadChannelConfig(
  path: string = DEFAULT_CHANNEL_CONFIG_FILE,
): ChannelConfig {
  const parsed = parseChannelConfig(readFileSync(path, 'utf8'));
  if (!parsed.ok)
    throw new Error(`invalid channel config: ${parsed.error.join('; ')}`);
  return parsed.value;
}

const DaysSchema = Type.Integer({ minimum: 1, maximum: 120 });
const ComplaintPolicySchema = Type.Object(
  {
    version: Version,
    decision_days: Type.Object(
      { simple: DaysSchema, complex: DaysSchema },
      { additionalProperties: false },
    ),
    extension_days_max: Type.Integer({ minimum: 0, maximum: 120 }),
    escalate_days_left: Type.Array(Type.Integer({ minimum: 0, maximum: 60 }), {
      minItems: 1,
      maxItems: 10,
    }),
    categories: Type.Record(
      Type.String({ pattern: '^[a-z_]+$' }),
      Type.Object(
        {
          name_zh: Type.String({ minLength: 1, maxLength: 30 }),
          decision_days_max: Type.Optional(DaysSchema),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Parses and validates a complaint policy document. */
export function parseComplaintPolicy(
  text: string,
): Result<ComplaintPolicy, string[]> {
  const value: unknown = parse(text);
  if (!Value.Check(ComplaintPolicySchema, value))
    return err(
      schemaErrors(ComplaintPolicySchema, value, 'complaint-policy.yaml'),
    );
  const file: Static<typeof ComplaintPolicySchema> = value;
  const thresholds = [...file.escalate_days_left].sort((a, b) => b - a);
  return ok({
    version: file.version,
    decisionDays: file.decision_days,
    extensionDaysMax: file.extension_days_max,
    escalateDaysLeft: thresholds,
    categories: Object.entries(file.categories).map(([id, category]) =>
      category.decision_days_max === undefined
        ? { id, nameZh: category.name_zh }
        : {
            id,
            nameZh: category.name_zh,
            decisionDaysMax: category.decision_days_max,
          },
    ),
  });
}

let complaintPolicy: ComplaintPolicy | undefined;

/** The repository's complaint policy, read once per process. */
export function defaultComplaintPolicy(): ComplaintPolicy {
  if (complaintPolicy !== undefined) return complaintPolicy;
  const parsed = parseComplaintPolicy(
    readFileSync(DEFAULT_COMPLAINT_POLICY_FILE, 'utf8'),
  );
  if (!parsed.ok)
    throw new Error(`invalid complaint policy: ${parsed.error.join('; ')}`);
  complaintPolicy = parsed.value;
  return complaintPolicy;
}
