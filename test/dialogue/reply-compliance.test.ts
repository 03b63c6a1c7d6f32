// Proves every wording of every reply template passes the real compliance
// pack (content/compliance/) — no block — with representative values in its
// placeholders: account templates as sent to a verified customer, all others
// as sent to an unverified person. A template the pack would block could
// only ever reach a customer as the safe fallback.
import { describe, expect, it } from 'vitest';
import { defaultComplianceEngine } from '../../src/adapters/compliance/load-pack.js';
import { renderReply } from '../../src/domain/dialogue/replies/render.js';
import {
  TEMPLATES,
  type TemplateId,
} from '../../src/domain/dialogue/replies/templates.js';

const SAMPLE: Record<string, string | number> = {
  loanNo: 'L202601001',
  product: '个人消费贷',
  date: '2026-12-10',
  amount: '2244.98',
  principal: '30044.79',
  interest: '60.76',
  days: 41,
  penalty: '87.99',
  total: '30105.55',
  apr: '7.28%',
  aprMin: '3.60%',
  aprMax: '15.00%',
  termMin: 6,
  termMax: 60,
  payment: '1613.36',
  need: '装修，200000.00元，60期',
  appNo: 'AP202611050018',
  term: 24,
  submitted: '2026-11-05',
  status: '人工复核',
  detail: '结果以正式通知为准。',
  months: 16,
  signing: '194.30',
  first: '497.43',
  monthly: '497.43',
  materials: '本人有效居民身份证、收入证明',
  topic: '还款计划',
  n: '①',
};

// Topics of a clarifying question that name an account matter.
const ACCOUNT_TOPICS = [
  '还款计划',
  '逾期后果',
  '还款困难与协商',
  '审批进度',
  '放款到账',
  '提前还款',
];

const ACCOUNT_TEMPLATES = new Set<TemplateId>([
  'schedule_next',
  'schedule_remaining',
  'schedule_overdue',
  'schedule_done',
  'payoff',
  'payoff_unavailable',
  'loan_apr',
  'app_status',
  'app_none',
  'difficulty_intro',
  'plan_extension',
  'plan_reamortization',
  'plan_stop_interest',
  'difficulty_handoff',
  'verified',
  'verified_ask',
]);

describe('reply templates', () => {
  const engine = defaultComplianceEngine();

  it.each(ACCOUNT_TOPICS)(
    'a clarifying question about %s passes unverified',
    (topic) => {
      for (
        let variant = 0;
        variant < TEMPLATES.clarify_intent.length;
        variant += 1
      ) {
        const text = renderReply('clarify_intent', { topic }, variant);
        const result = engine.check({
          text,
          role: 'bot',
          recipient: 'unverified',
        });
        expect(result.verdict, text).not.toBe('block');
      }
    },
  );
  const ids = Object.keys(TEMPLATES) as TemplateId[];

  it.each(ids)('%s passes the compliance pack in every wording', (id) => {
    const recipient = ACCOUNT_TEMPLATES.has(id) ? 'customer' : 'unverified';
    const wordings: readonly string[] = TEMPLATES[id];
    for (let variant = 0; variant < wordings.length; variant += 1) {
      const text = renderReply(id, SAMPLE, variant);
      const result = engine.check({ text, role: 'bot', recipient });
      expect(result.verdict, `${id}[${variant}]: ${text}`).not.toBe('block');
    }
  });
});
