// Features of an agent's clause: the NLU's utterance features (character
// bigrams, jieba words and pairs, concept families) plus the topics an
// agent's question is about.

import { type Segment, utteranceFeatures } from '../dialogue/nlu/features.js';

// What an agent's question is about: families of words the classifier
// learns one weight for (as the NLU's concepts), so that 工资 and 月薪 both
// ask about income, whatever question frame (方便说一下…吗) carries them. A
// data table: one row per topic, cue phrases in the words agents use.
const AGENT_TOPICS: readonly (readonly [string, RegExp])[] = [
  [
    'reason',
    /原因|为什么|怎么回事|出了什么|发生了什么|什么情况|什么事|变故|怎么会|何故|为何|缘故|遇到.{0,4}困难/,
  ],
  [
    'purpose',
    /用途|用来|用在|用于|干什么用|做什么用|办什么事|派什么用|急用|用钱|用款|钱.{0,4}从哪|资金来源|哪来的/,
  ],
  [
    'income',
    /收入|工资|月薪|薪水|到手|挣|赚|能承受|还款能力|预算|能拿出|生活费|进账/,
  ],
  [
    'debts',
    /负债|其他贷款|别的贷款|其他机构|别的平台|别家|其他平台|其他银行|网贷|信用卡|花呗|借呗|几笔|几家|欠款情况|同时.{0,4}申请/,
  ],
  [
    'time',
    /什么时候|多久|多长时间|哪天|哪一天|几号|最近|时间段|从何时|哪个月|第一次|上一次|开始的/,
  ],
  [
    'who',
    /谁|对方是|什么人|自称|工号|哪个号码|来电号码|哪家公司|名字|联系方式|什么名义|哪里的/,
  ],
  [
    'detail',
    /具体|详细|经过|说了什么|怎么说|说了哪些|内容|复述|提到了|还让您|描述|哪一部分|什么样的/,
  ],
  [
    'transfer',
    /转账|转过钱|转了|汇款|汇出|打钱|打过钱|付款|付过|付了|交过|交了|收到您的钱/,
  ],
  ['notice', /短信|通知|提醒|消息|补充材料|补交|补件|上传材料|未读/],
  [
    'plan',
    /打算|计划|接下来|下一步|准备怎么|希望怎么|倾向|安排|找工作|新工作|本人.{0,4}(?:方便|能不能|亲自|来电)|全部还清|部分还款/,
  ],
  ['verify', /姓名|手机号|身份证|核实|验证|本人信息|身份信息|预留|注册/],
  [
    'sorry',
    /理解|抱歉|对不起|歉意|别着急|别急|放心|担心|心情|不容易|辛苦|体会/,
  ],
  [
    'fraud',
    /诈骗|骗子|报警|110|96110|反诈|冒充|不要转账|验证码|陌生|链接|共享屏幕|警惕/,
  ],
  [
    'privacy',
    /隐私|本人授权|第三方|无法告知|无法透露|不能透露|不能告诉|无法.{0,2}提供|不能.{0,2}提供/,
  ],
  ['ticket', /登记|工单|核查|跟进|加急|处理结果|回电|调查|转给相关部门/],
  ['handoff', /转接|转人工|转到|转给.{0,2}(?:主管|同事)|主管/],
  [
    'urge',
    /尽快还|赶紧|马上.{0,2}还|必须.{0,4}还|今天.{0,4}还|立刻|别拖|也得.{0,2}还|总是要还/,
  ],
  [
    'stall',
    /耐心等|再等|等通知|不清楚|没有办法|没办法|不归我|说不准|不知道|回答不了|等着/,
  ],
  ['close', /还有(?:其他|别的|什么)|再见|祝您|来电|随时联系|先到这里|先挂/],
  [
    'plan_offer',
    /分期|停息挂账|展期|延期|协商|还款方案|减免|延长|降低.{0,4}还款/,
  ],
];

const TOPIC_COPIES = 3;

/** The NLU's utterance features plus the agent topics (on normalised text). */
export function agentFeatures(text: string, segment: Segment): string[] {
  const features = utteranceFeatures(text, segment);
  for (const [topic, pattern] of AGENT_TOPICS)
    if (pattern.test(text))
      for (let copy = 0; copy < TOPIC_COPIES; copy += 1)
        features.push(`t:${topic}#${copy}`);
  return features;
}
