// Proves the shipped templates are usable as they stand: every reminder kind
// and complaint notice renders on every channel with realistic values, and
// the repository's compliance engine passes each rendering for the bot and
// for a collector speaking to the customer, at an allowed hour, with the
// amount grounded against the ledger figure. Also proves the loaders refuse
// an unknown variable and a repayment channel that names a personal account.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../contracts/money.js';
import {
  MESSAGE_CHANNELS,
  NOTICE_KINDS,
  REMINDER_KINDS,
  renderTemplate,
} from '../../domain/channels/template.js';
import { defaultComplianceEngine } from '../compliance/load-pack.js';
import {
  DEFAULT_CHANNEL_CONFIG_FILE,
  loadChannelConfig,
  loadTemplates,
  parseChannelConfig,
  parseTemplates,
} from './load-channel-content.js';

const templates = loadTemplates();
const config = loadChannelConfig();
const engine = defaultComplianceEngine();
const AMOUNT_FEN = 123_456n;

function values() {
  return {
    name: '王*明',
    amount: formatFen(AMOUNT_FEN),
    due_date: '2026年12月10日',
    installment_n: '3',
    days_past_due: '12',
    repayment_channels: config.repaymentChannels
      .map((c, i) => `${i + 1}. ${c}`)
      .join('\n'),
    repayment_channel_short: config.repaymentChannelShort,
    institution: config.institutionZh,
    signature: config.smsSignature,
    hotline: config.hotline,
    ticket_no: 'TS20261120-000001',
    decision_date: '2026年12月5日',
    resolution: '经核实，系统重复计收的费用已于今日退回您的还款账户。',
    extension_reason: '需调取第三方支付机构的交易记录核实',
  };
}

const renderings = [
  ...REMINDER_KINDS.flatMap((kind) =>
    MESSAGE_CHANNELS.map((channel) => ({
      id: `${kind}.${channel}`,
      template: templates.reminders[kind][channel],
    })),
  ),
  ...NOTICE_KINDS.flatMap((kind) =>
    MESSAGE_CHANNELS.flatMap((channel) => {
      const template = templates.complaints[kind][channel];
      return template === undefined
        ? []
        : [{ id: `complaint_${kind}.${channel}`, template }];
    }),
  ),
];

describe('message templates', () => {
  it('has a template for every reminder kind on every channel', () => {
    expect(renderings.length).toBeGreaterThanOrEqual(
      REMINDER_KINDS.length * MESSAGE_CHANNELS.length + NOTICE_KINDS.length * 2,
    );
  });

  it.each(renderings)(
    '$id renders and passes the compliance engine',
    ({ template }) => {
      const message = renderTemplate(template, values());
      expect(message.body).not.toMatch(/\{\{|\}\}/);
      for (const role of ['bot', 'collector'] as const) {
        for (const text of [message.subject, message.body]) {
          if (text === undefined) continue;
          const result = engine.check({
            text,
            role,
            recipient: 'customer',
            atMinute: 10 * 60,
            facts: { amountsFen: [AMOUNT_FEN] },
          });
          expect(
            result.violations.map((v) => `${v.rule} ${v.message}`),
            `${role}: ${text}`,
          ).toEqual([]);
          expect(result.verdict).toBe('pass');
        }
      }
    },
  );

  it('refuses a template with an unknown variable', () => {
    const text = readFileSync(
      new URL('../../../content/templates/reminders.yaml', import.meta.url),
      'utf8',
    ).replace('{{hotline}}', '{{card_number}}');
    const parsed = parseTemplates(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.join()).toContain('{{card_number}}');
  });

  it('refuses a repayment channel that names a personal card or a transfer to a person', () => {
    const text = readFileSync(DEFAULT_CHANNEL_CONFIG_FILE, 'utf8');
    for (const bad of [
      '转账至 6222 0202 0000 1234 567',
      '微信转账给客户经理',
    ]) {
      const parsed = parseChannelConfig(
        text.replace('本行各营业网点柜台', bad),
      );
      expect(parsed.ok, bad).toBe(false);
    }
    expect(parseChannelConfig(text).ok).toBe(true);
  });
});
