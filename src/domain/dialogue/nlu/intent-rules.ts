import type { Intent } from './labels.js';

// High-precision intent rules. They decide only where the wording leaves no
// doubt and the classifier may still waver on short or unusual text (转人工 in
// three characters, a bare 结清证明). Each rule's confidence is the precision
// it must keep on the corpus (bench/nlu.bench.ts reports it per rule).
type IntentRule = { intent: Intent; pattern: RegExp; confidence: number };

export const INTENT_RULES: readonly IntentRule[] = [
  {
    intent: 'human_agent',
    pattern:
      /转人工|人工客服|真人客服|找真人|找人工|要人工|^人工|人工服务|接人工|^rgkf$|^rg$|机器人听不懂|不要?跟机器人/,
    confidence: 0.95,
  },
  {
    intent: 'settlement_certificate',
    pattern: /结清证明|还清证明|无欠款证明|结清单|结清函|结清凭证|已结清证明/,
    confidence: 0.95,
  },
  {
    intent: 'fraud_report',
    pattern:
      /解冻费|冒充|冒用|安全账户|刷流水|校园贷|(?:让我|要我)[^。]{0,4}(?:报|告诉他|发)[^。]{0,4}验证码|共享屏幕|被骗|诈骗/,
    confidence: 0.9,
  },
  {
    intent: 'greeting',
    pattern:
      /^(?:你好|您好|在吗|在不在|有人吗|hello|hi|哈喽|嗨|早上好|下午好|晚上好|客服在吗|亲在吗)[呀啊吗嘛～~!?？。 ]*$/,
    confidence: 0.95,
  },
  {
    intent: 'thanks_goodbye',
    pattern:
      /^(?:好的)?[,，]?(?:谢谢|感谢|多谢|谢啦|再见|拜拜|88)[^吗?？]{0,8}$/,
    confidence: 0.95,
  },
];

/** The first rule that fires on the normalised text, if any. */
export function matchIntentRule(text: string): IntentRule | undefined {
  return INTENT_RULES.find((rule) => rule.pattern.test(text));
}
