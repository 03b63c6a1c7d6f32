import { assert } from '../shared/assert.js';

// Message templates are data (content/templates/reminders.yaml); this renders
// one with `{{variable}}` placeholders. Pure: the caller passes every value,
// already masked and formatted.

export const MESSAGE_CHANNELS = ['sms', 'email', 'app'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export const REMINDER_KINDS = [
  'pre_due_3',
  'pre_due_1',
  'due_day',
  'overdue_m1',
  'overdue_m2',
  'overdue_m3_plus',
  'promise_broken',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const NOTICE_KINDS = ['received', 'extended', 'resolved'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const TEMPLATE_VARIABLES = [
  'name',
  'amount',
  'due_date',
  'installment_n',
  'days_past_due',
  'repayment_channels',
  'repayment_channel_short',
  'institution',
  'signature',
  'hotline',
  'ticket_no',
  'decision_date',
  'resolution',
  'extension_reason',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** One message template; `subject` for e-mail, `title` for in-app. */
export type MessageTemplate = {
  readonly id: string;
  readonly subject?: string;
  readonly body: string;
};

export type TemplateSet = {
  readonly version: string;
  readonly reminders: Readonly<
    Record<ReminderKind, Readonly<Record<MessageChannel, MessageTemplate>>>
  >;
  readonly complaints: Readonly<
    Record<
      NoticeKind,
      Readonly<Partial<Record<MessageChannel, MessageTemplate>>>
    >
  >;
};

export type RenderedMessage = {
  readonly templateId: string;
  readonly subject: string | undefined;
  readonly body: string;
};

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** The variables a template text uses, in order of first use. */
export function placeholdersOf(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function fill(
  text: string,
  values: Readonly<Partial<Record<TemplateVariable, string>>>,
  templateId: string,
): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name as TemplateVariable];
    assert(
      value !== undefined,
      () => `template ${templateId}: no value for {{${name}}}`,
    );
    return value;
  });
}

/**
 * Renders a template; every placeholder must have a value (the loader has
 * already refused unknown names).
 * @example renderTemplate({ id: 't', body: '您好{{name}}' }, { name: '王*明' }).body === '您好王*明'
 */
export function renderTemplate(
  template: MessageTemplate,
  values: Readonly<Partial<Record<TemplateVariable, string>>>,
): RenderedMessage {
  return {
    templateId: template.id,
    subject:
      template.subject === undefined
        ? undefined
        : fill(template.subject, values, template.id),
    body: fill(template.body, values, template.id),
  };
}

/**
 * A calendar date as customers read it.
 * @example formatDateZh('2026-12-10') === '2026年12月10日'
 */
export function formatDateZh(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  assert(match !== null, () => `formatDateZh: ${date}`);
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}
