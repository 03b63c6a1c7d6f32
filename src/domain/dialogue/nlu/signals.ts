// Emotion, risk and fraud cues. A data table file: each row is a label and
// the phrasings that signal it, written to be precise (a wrong fraud flag
// alarms an honest customer; a wrong risk flag follows them into review).
import {
  type Emotion,
  FRAUD_SIGNALS,
  type FraudSignal,
  RISK_SIGNALS,
  type RiskSignal,
} from './labels.js';

// A cue is one pattern, or several that must all match somewhere in the
// text: co-occurrence (a deadline word and a money word and a must word)
// generalises to wording no single phrase list foresees.
type Cue<T> = readonly [T, RegExp | readonly RegExp[]];

// Someone other than the customer is doing the asking: the shape of a scam.
const THEY = '(?:有人|对方|他们?|她|说|让我|要我|叫我|自称|客服|那个人|电话里)';
// A third party by name, for cues too common to trust after 让我 alone
// (放款前还要我交什么钱吗 is a customer's question, not a scam).
const THIRD =
  '(?:有人|对方|他们?|她|说|那人|那个人|自称|电话里|陌生人|中介|骗子)';

const FRAUD_CUES: readonly Cue<FraudSignal>[] = [
  [
    'upfront_fee',
    new RegExp(
      `${THEY}[^。]{0,12}(?:交|付|缴|转|买)[^。]{0,8}(?:保证金|解冻费|手续费|会员费|押金|费|税|礼品卡)|${THIRD}(?![^。]*流水)[^。]{0,16}(?:交|付|缴|转)[^。]{0,8}钱|交钱[^。]{0,2}(?:解冻|激活)|包过[^。]{0,8}(?:收费|交钱)|(?:有人|对方|陌生人|中介|自称)[^。]{0,16}(?:要收费|收费的)|激活费|开通费|验资费|解冻费|安全账户|交了[^。]{0,8}(?:保证金|解冻费)|先(?:交|付|转|收)(?:钱|费|一笔)|验证还款能力`,
    ),
  ],
  [
    'impersonation',
    /冒充|冒用|假冒|自称|说是(?:你们|平台|公司|官方|银行|银保监|公安|警察|法院|客服|工作人员)|(?:你们|贵司)(?:的)?名义|(?:公安|警察|法院|检察院|银保监)[^。]{0,6}(?:打电话|来电|说我)/,
  ],
  [
    'credential_request',
    new RegExp(
      `${THEY}[^。]{0,10}(?:验证码|密码)|验证码[^。]{0,6}(?:告诉|发给|给他|报给|发过去)|共享屏幕|屏幕共享|远程控制|(?:收到的|短信里的?)[^。]{0,6}(?:数字|码)[^。]{0,6}(?:告诉|发给|给他|报给|念)|${THEY}[^。]{0,8}(?:六|6|四|4)位(?:数字|数|码)`,
    ),
  ],
  [
    'fake_flow',
    new RegExp(
      `刷[^。]{0,4}流水|${THEY}[^。]{0,10}(?:包装|做|走|刷)[^。]{0,2}流水|走流水|流水[^。]{0,6}(?:做高|刷高)|转[^。]{0,4}进去再转出|${THEY}[^。]{0,10}做流水`,
    ),
  ],
  [
    'account_cancellation_scam',
    new RegExp(
      `校园贷|学生贷|学生[^。]{0,6}(?:账户|账号)|(?:学生时|大学时)[^。]{0,12}(?:注销|清除|关闭)|(?:没|不)注销[^。]{0,10}征信|(?:账户|账号)[^。]{0,4}注销[^。]{0,10}征信|${THEY}[^。]{0,10}(?:注销|关闭)[^。]{0,8}(?:账户|账号)|(?:注销|关闭)[^。]{0,12}(?:否则|不然)[^。]{0,6}征信`,
    ),
  ],
];

const NUMBER_OF_TIMES = '(?:很多|好多|好几|多|[几两三四五六七八九十]+)';
const DEBTS = '(?:信用卡|网贷|花呗|借呗|白条|别的|其他|债)';

const RISK_CUES: readonly Cue<RiskSignal>[] = [
  [
    'urgent_need',
    /急用|急需|应急|急着|着急用|急要钱|急缺钱|火急|等不了|越快越好|必须到账|等着(?:用|交|还)|今天(?:之内|内)?(?:必须|一定|就)|只要快|要快|就得用钱|(?:今天|明天|马上)就(?:得|要)用钱|今晚(?:必须|就要)|马上(?:就)?要用|[,，。 ]急[!！。]*$|^急[,，!！ ]/,
  ],
  [
    'rate_insensitive',
    /(?:利息|利率|年化|息)[^。，,]{0,6}(?:没关系|无所谓|不要紧|不在乎|都行|也行|随便|不管|不是问题)|不在乎利息|不管利息|多少利息都|利息(?:贵|高)(?:点|一点|些)?(?:也|都)?(?:行|可以|没事)/,
  ],
  [
    'vague_repayment_source',
    /到时候再(?:想办法|说|看)|以后再说|走一步看一步|再想办法还|先借(?:了|着)?再说|先借着|车到山前|没想(?:好|过)(?:怎么|用什么)还/,
  ],
  [
    'frequent_urging',
    new RegExp(
      `催(?:了)?第?${NUMBER_OF_TIMES}[次遍]|快点批|赶紧[^。，,]{0,3}批|快点审|快点放|赶紧放|(?<!证明.{0,4})加急|加快|催一下|催了${NUMBER_OF_TIMES}[遍次]|问了${NUMBER_OF_TIMES}[遍次]|催了好几|问了好几|能不能快点(?:审|批|放)`,
    ),
  ],
  [
    'job_change',
    /换(?:了)?(?:个|份)?(?:新)?(?:工作|单位|公司)|才换|刚换|换的工作|离职|辞退|开除|解雇|下岗|(?:刚|已经)?辞职了|刚辞职|刚入职|换了?个?城市|新入职|失业|被裁|裁员|工作单位变了|(?:单位|工作)换了|跳槽|公司倒闭|丢了工作|没了工作/,
  ],
  [
    'many_online_loans',
    new RegExp(
      `${NUMBER_OF_TIMES}个网贷|网贷(?:太|很|比较)?多|多头|把网贷还|(?:好多|很多|好几家|多家)网贷|${NUMBER_OF_TIMES}(?:个|家)(?:网贷)?平台|好多家(?:网贷|平台)`,
    ),
  ],
  [
    'many_credit_inquiries',
    new RegExp(
      `查了${NUMBER_OF_TIMES}次征信|征信[^。]{0,4}查了${NUMBER_OF_TIMES}次|征信查询(?:太|很|比较)?多|查询次数(?:太|很)?多|征信(?:有点|已经|都|太|很|查)?花(?:了)?(?!吗)|征信[^。]{0,6}查得?[^。]{0,3}(?:多|频繁)|硬查询[^。]{0,3}多`,
    ),
  ],
  [
    'falsify_request',
    /(?:帮我|给我|能不能|可以|你们能)[^。]{0,3}(?:做|弄)(?:个|一份)?(?:假)?流水|(?:收入|流水|工资|证明|材料)[^。]{0,8}(?:弄|做|改|写|搞)[^。]{0,4}(?:好看|高|漂亮|多点|多一点)|写高(?:一)?点|随便填|假(?:的)?(?:流水|证明|材料|资料)|虚报|包装一下|改一下流水/,
  ],
  [
    'borrow_to_repay',
    new RegExp(
      `借新还旧|以贷养贷|拆东墙补西墙|还(?:掉|清)?${DEBTS}|再借一笔来还|把[^。]{0,4}(?:网贷|信用卡|花呗)[^。]{0,2}还`,
    ),
  ],
  [
    'high_debt',
    /超过(?:了)?(?:收入|工资)(?:的)?一半|负债(?:挺|很|太|比较|过)?(?:多|高|重)|负债率|(?:还款|月供)[^。]{0,8}(?:占|超过)[^。]{0,6}(?:工资|收入)[^。]{0,3}(?:一半|大半|多半|大部分)|月供(?:占|超过)|欠[^。]{0,3}(?:很多|一屁股)债/,
  ],
  // Co-occurrence cues: each needs all of its patterns.
  [
    'urgent_need',
    [
      /今天|今晚|马上|立刻|立即|尽快|赶紧|现在就|当天/,
      /到账|放款|打过来|下款|用钱|要钱|拿到钱|借到/,
      /必须|一定要|急|不然|否则|等不了|等着|越快越好/,
    ],
  ],
  [
    'rate_insensitive',
    [
      /利息|利率|年化|息费|成本/,
      /无所谓|也认|认了|没关系|不在乎|都行|也行|不要紧|能接受|不管|不计较|贵点也|高点也|高一点.{0,3}也/,
    ],
  ],
  [
    'vague_repayment_source',
    [
      /(?:怎么|咋|拿什么|用什么)还|还款来源|还钱的钱/,
      /没想好|再说|再想办法|到时候|走一步|没想过/,
    ],
  ],
  [
    'falsify_request',
    [
      /收入|工资|流水|月薪|单位|资产|负债/,
      /填成|填高|写成|写高|改成|改高|弄高|做高|造假|做假|虚报|多写|多填|好看|漂亮|包装/,
    ],
  ],
  [
    'borrow_to_repay',
    [
      /借|贷/,
      /还(?:上|掉|清)?[^。]{0,3}(?:信用卡|网贷|花呗|借呗|白条|欠款)|(?:信用卡|网贷|花呗|借呗|白条)[^。]{0,3}还(?:上|掉|清)/,
    ],
  ],
  [
    'high_debt',
    [
      /工资|收入|月薪/,
      /一大半|大半|一半以上|多半|大部分|全部/,
      /还(?:款|贷|债)|贷款|月供|负债/,
    ],
  ],
  [
    'many_credit_inquiries',
    [
      /征信|信用报告/,
      /查询|查了|被查|查得/,
      /一堆|好多|很多|频繁|好几|[几两三四五六七八九十]+次|太多/,
    ],
  ],
];

function fires(cue: RegExp | readonly RegExp[], text: string): boolean {
  return cue instanceof RegExp
    ? cue.test(text)
    : cue.every((pattern) => pattern.test(text));
}

// The labels whose cues fire, once each, in the taxonomy's order.
function matching<T>(
  order: readonly T[],
  cues: readonly Cue<T>[],
  text: string,
): T[] {
  const fired = new Set(
    cues.filter(([, cue]) => fires(cue, text)).map(([label]) => label),
  );
  return order.filter((label) => fired.has(label));
}

/** Fraud signals in the normalised text, in taxonomy order. */
export function readFraudSignals(text: string): FraudSignal[] {
  return matching(FRAUD_SIGNALS, FRAUD_CUES, text);
}

/**
 * Risk signals in the normalised text, in taxonomy order. A fake-flow scam
 * story (有人叫我走流水) is the customer reporting a fraud, not asking us to
 * falsify: it does not raise falsify_request.
 */
export function readRiskSignals(text: string): RiskSignal[] {
  const signals = matching(RISK_SIGNALS, RISK_CUES, text);
  if (!readFraudSignals(text).includes('fake_flow')) return signals;
  return signals.filter((signal) => signal !== 'falsify_request');
}

const ANGRY_CUE =
  /我要投诉|什么鬼|有病|无语|离谱|坑爹|恶心|受够了|忍无可忍|骗人|耍我|玩我|扯淡|胡说|滚蛋|神经病|脑子有|气人|火大|生气|愤怒|向[^。，]{0,6}投诉|要投诉你们|投诉你们|投诉(?:了|过)|太差|垃圾|破(?:服务|app|平台|公司)|什么破|坑人|太坑|骗子公司|你们(?:是不是|就是|是)骗子|气死|气到|烦死|太烦|过分|恶劣|滚|妈的|tmd|什么玩意|搞什么|吸血|霸王|差评|违法|骚扰|凭什么|有什么权利|给个说法|解释|曝光|起诉你们|告你们|报警|欺诈|失望|不满意|太烂|太慢|这么慢|这么久|难听|骂我|威胁|赔偿|到底(?:批不批|怎么回事|行不行|还要)|钱呢|说好|怎么才(?!能)|为什么你们|怎么被|被这么多|也不懂|不合理|乱扣|乱收费|为什么(?:多)?扣|为什么(?:打|给|查|收|把|我的|只|审核不|没)|为啥我的|这么少|为什么我总|不要联系|怎么这么(?:高|低|慢|久)|怎么比|太高了|太低了|一星|挂电话|态度|糊弄|为什么我(?:朋友|家人|同事|爸|妈)|别再|不要再|合法吗|管不管|怎么做事|领导|媒体|举报他|卖了我的|泄露的|欠钱|告诉我妈|亲戚|打爆|我的钱呢|说好的|听不懂|说不清|没用|人工人工|快给我|金额少了|到手少了|两次款|还显示|怎么还没给|打不通|出错|[😡🤬💢]|!{3,}/u;
const ANXIOUS_CUE =
  /(?<!紧)急(?!联系)|怎么办(?:啊|呀|才好)|该怎么办|了怎么办啊|害怕|心慌|着急|紧张|不知所措|好慌|崩溃|发愁|愁死|头疼|压力山大|呜呜|哭了|急死|好怕|我怕|担心|慌|睡不着|求求|救命|就完了|不然就完了|还不上|还不起|还不了|交不上|没钱|没有收入|焦虑|[😭😰😱🥺]|\?{2,}|在线等|啊啊|被骗|骗了|怎么还没|还没消息|没动静|一直(?:显示|在处理)|压力(?:很|太)?大|扛不住|凑不齐|被抓|坐牢|上门|起诉|告上法院|是不是卡住|被冻结|额度(?:突然)?没了|被降|没收到|查不到|收不到钱|失败怎么回事|不小心|忘了还|忘记还|拿不出|手头(?:太)?紧|真的没钱|出事|住院|失业|被裁|扣款失败|没扣|显示没还|涉嫌|涉案|有没有人啊|补上有影响|影响[^。]{0,4}(?:子女|孩子|工作)|会不会上征信|工资没发|是不是(?:被|泄露)|会不会被(?:泄露|卖)|泄露了|是不是被拒|已经逾期|逾期一个月|拉黑|异常|钱还没到|还没有放款|没看到钱|等着用|实在|报案|一直没收到|遇到诈骗|诈骗啊/u;

/**
 * The customer's emotion: angry wins over anxious (an angry customer who is
 * also worried needs 安抚 first either way), neutral when no cue is present.
 */
export function readEmotion(text: string): Emotion {
  if (ANGRY_CUE.test(text)) return 'angry';
  if (ANXIOUS_CUE.test(text)) return 'anxious';
  return 'neutral';
}
