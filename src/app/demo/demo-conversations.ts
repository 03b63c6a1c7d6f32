// A dozen demo conversations so the agents' inbox and the dashboard are not
// empty: some the bot answered on its own, some waiting for an agent (one
// per hand-off reason), one an agent is handling, and closed ones with the
// borrower's rating — some handled by each of the two demo agents, better
// and worse, so quality inspection has agents and teams to compare. Wording
// written for LoanDesk; no real person.
import type { Repositories } from '../../adapters/db/repositories/index.js';
import { initialDialogueState } from '../../domain/dialogue/policy/state.js';
import type { HandoffReason } from '../../domain/dialogue/policy/types.js';
import { assert } from '../../domain/shared/assert.js';

type Line = readonly [
  sender: 'customer' | 'bot' | 'agent' | 'system',
  text: string,
  intent?: string,
];

export type DemoConversation = {
  readonly outcome: 'bot' | 'waiting_agent' | 'agent' | 'closed';
  /** Index into the demo customers; the conversation is then verified. */
  readonly customerIndex?: number;
  readonly handoff?: HandoffReason;
  readonly rating?: { readonly score: number; readonly comment?: string };
  /** The agent who handles it: the first demo agent unless `second`. */
  readonly agent?: 'second';
  readonly lines: readonly Line[];
};

const GREETING =
  '您好，这里是LoanDesk贷款在线客服，很高兴为您服务。请问有什么可以帮您？';
const VERIFY =
  '为保护您的账户安全，查询账户信息前需要先核实身份。请提供以下任意两项：本人姓名、身份证号码（或后六位）、注册手机号。';

export const DEMO_CONVERSATIONS: readonly DemoConversation[] = [
  {
    outcome: 'bot',
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '你们的个人消费贷年化利率大概多少？', 'rate_inquiry'],
      [
        'bot',
        '个人消费贷的年化利率（单利）为3.65%至18%，实际利率以审批结果为准。告诉我您的用途和金额，我可以帮您看看哪款更合适。',
        'rate_inquiry',
      ],
    ],
  },
  {
    outcome: 'bot',
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '申请贷款需要准备哪些材料', 'required_materials'],
      [
        'bot',
        '通常需要本人有效身份证、收入证明或近6个月银行流水、本人名下借记卡；装修、购车、经营等专项贷款还需提供对应的合同或证明。请如实提供。',
        'required_materials',
      ],
    ],
  },
  {
    outcome: 'bot',
    customerIndex: 3,
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '我想查一下这个月要还多少', 'repayment_schedule'],
      ['bot', VERIFY, 'repayment_schedule'],
      ['customer', '我已经提供了姓名和手机号', 'repayment_schedule'],
      [
        'bot',
        '身份核实通过，感谢您的配合。您的还款计划可在官方App“我的贷款”中查看，本期应还金额以还款计划为准。',
        'repayment_schedule',
      ],
    ],
  },
  {
    outcome: 'waiting_agent',
    handoff: 'customer_request',
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '帮我转人工客服', 'human_agent'],
      ['bot', '好的，正在为您转接人工客服，请稍候。', 'human_agent'],
    ],
  },
  {
    outcome: 'waiting_agent',
    handoff: 'low_confidence',
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '上次那个事后来怎么样了，给个说法', 'out_of_scope'],
      [
        'bot',
        '抱歉，我没有完全理解。请问想了解的是贷款产品、申请流程，还是其他方面的问题？',
        'out_of_scope',
      ],
      ['customer', '就是之前说的那个，你们自己查', 'out_of_scope'],
      [
        'bot',
        '抱歉，我可能没有准确理解您的问题，为避免耽误您，现在为您转接人工客服。',
        'out_of_scope',
      ],
    ],
  },
  {
    outcome: 'waiting_agent',
    handoff: 'persistent_anger',
    customerIndex: 7,
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '扣款扣了两次，你们到底怎么回事！', 'complaint'],
      [
        'bot',
        '非常抱歉给您带来不便，我理解您的心情。我先帮您核实扣款记录。',
        'complaint',
      ],
      ['customer', '别核实了，赶紧给我处理！太气人了！', 'complaint'],
      [
        'bot',
        '为了更好地解决您的问题，我为您转接人工客服，请稍候。',
        'complaint',
      ],
    ],
  },
  {
    outcome: 'waiting_agent',
    handoff: 'complaint',
    customerIndex: 12,
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '我要投诉，你们的人一天给我打了好几个电话', 'complaint'],
      [
        'bot',
        '您的投诉我们已经记录并生成投诉工单，会有专人在规定时限内联系您处理。现在为您转接人工客服。',
        'complaint',
      ],
    ],
  },
  {
    outcome: 'waiting_agent',
    handoff: 'negotiation',
    customerIndex: 20,
    lines: [
      ['bot', GREETING, 'greeting'],
      [
        'customer',
        '最近失业了，这个月实在还不上，能不能晚点还',
        'repayment_difficulty',
      ],
      [
        'bot',
        '理解您的困难。我已为您转接协商还款专员，专员会结合您的收入情况与您确认具体方案。',
        'repayment_difficulty',
      ],
    ],
  },
  {
    outcome: 'agent',
    handoff: 'customer_request',
    customerIndex: 25,
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '我想提前结清，找人工', 'early_repayment'],
      ['bot', '没问题，马上为您转人工，请稍等片刻。', 'human_agent'],
      ['system', '人工客服已接入，正在为您服务。'],
      [
        'agent',
        '您好，我是人工客服。提前结清金额以结清当日的剩余本金和应计利息为准，我帮您核对后告知。',
      ],
    ],
  },
  {
    outcome: 'closed',
    rating: { score: 5, comment: '回答很快，很清楚' },
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '提前还款有没有违约金', 'early_repayment'],
      [
        'bot',
        '提前还款是否收取违约金，各产品规定不同，以您的借款合同为准；申请时也会明确告知。',
        'early_repayment',
      ],
      ['customer', '好的谢谢', 'thanks_goodbye'],
      [
        'bot',
        '感谢您的咨询，如还有其他问题，欢迎随时联系我们。祝您生活愉快！',
        'thanks_goodbye',
      ],
      ['system', '本次会话已结束，感谢您的咨询。欢迎您对本次服务进行评价。'],
    ],
  },
  {
    outcome: 'closed',
    rating: { score: 4 },
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '结清证明怎么开', 'settlement_certificate'],
      [
        'bot',
        '贷款结清后，可在官方App“我的贷款”中申请开具结清证明，也可以联系人工客服办理。',
        'settlement_certificate',
      ],
      ['system', '本次会话已结束，感谢您的咨询。欢迎您对本次服务进行评价。'],
    ],
  },
  {
    outcome: 'closed',
    handoff: 'customer_request',
    customerIndex: 40,
    rating: { score: 3, comment: '等待时间有点长' },
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '我要改绑还款银行卡，转人工', 'update_info'],
      ['bot', '好的，正在为您转接人工客服，请稍候。', 'human_agent'],
      ['system', '人工客服已接入，正在为您服务。'],
      [
        'agent',
        '您好，更换还款卡可在官方App“我的—银行卡”中操作，需本人名下借记卡并完成短信验证。',
      ],
      ['customer', '好的，我去试试', 'thanks_goodbye'],
      ['system', '本次会话已结束，感谢您的咨询。欢迎您对本次服务进行评价。'],
    ],
  },
  {
    outcome: 'closed',
    handoff: 'customer_request',
    customerIndex: 60,
    agent: 'second',
    rating: { score: 5, comment: '人工客服很耐心' },
    lines: [
      ['bot', GREETING, 'greeting'],
      [
        'customer',
        '这个月的还款日是哪天？我想找人工确认一下',
        'repayment_schedule',
      ],
      ['bot', '好的，正在为您转接人工客服，请稍候。', 'human_agent'],
      ['system', '人工客服已接入，正在为您服务。'],
      [
        'agent',
        '您好，我是人工客服小王，很高兴为您服务。您是想确认本月的还款日期，对吗？还款日以借款合同和官方App“我的贷款—还款计划”中显示的日期为准，请在当天扣款前保证还款卡余额充足。',
      ],
      ['customer', '明白了，谢谢', 'thanks_goodbye'],
      ['agent', '不客气，请问还有其他可以帮您的吗？祝您生活愉快，再见！'],
      ['system', '本次会话已结束，感谢您的咨询。欢迎您对本次服务进行评价。'],
    ],
  },
  {
    outcome: 'closed',
    handoff: 'customer_request',
    customerIndex: 75,
    agent: 'second',
    rating: { score: 2, comment: '态度一般，问题没解决' },
    lines: [
      ['bot', GREETING, 'greeting'],
      [
        'customer',
        '扣款失败了怎么回事，都扣了三次了，烦死了，转人工',
        'complaint',
      ],
      ['bot', '非常抱歉给您带来不便，正在为您转接人工客服。', 'human_agent'],
      ['system', '人工客服已接入，正在为您服务。'],
      [
        'agent',
        '扣款失败一般是卡里余额不足或者超过了银行卡限额，你自己去查一下。',
      ],
      ['customer', '行吧', 'thanks_goodbye'],
      ['system', '本次会话已结束，感谢您的咨询。欢迎您对本次服务进行评价。'],
    ],
  },
  {
    outcome: 'closed',
    handoff: 'customer_request',
    customerIndex: 90,
    rating: { score: 4 },
    lines: [
      ['bot', GREETING, 'greeting'],
      ['customer', '我想开结清证明，找人工', 'settlement_certificate'],
      ['bot', '好的，马上为您转接人工客服，请稍候。', 'human_agent'],
      ['system', '人工客服已接入，正在为您服务。'],
      [
        'agent',
        '您好，我是人工客服，很高兴为您服务。请问您是想为已经结清的贷款开具结清证明吗？贷款结清后，可以在官方App“我的贷款—结清证明”中在线申请，也可以由我为您登记申请。',
      ],
      ['customer', '那麻烦你帮我登记一下', 'settlement_certificate'],
      [
        'agent',
        '好的，申请已经提交，证明开具后会以短信通知。请问还有其他需要帮助的吗？感谢您的耐心，再见！',
      ],
      ['customer', '没有了，谢谢', 'thanks_goodbye'],
      ['system', '本次会话已结束，感谢您的咨询。欢迎您对本次服务进行评价。'],
    ],
  },
];

// No token hashes to this: demo conversations are not reachable by a
// borrower, only shown to agents.
const UNREACHABLE_TOKEN_HASH = '0'.repeat(64);

/**
 * Writes the demo conversations; returns how many. Those marked for the
 * `second` agent go to `secondAgentUserId` when given, else to the first.
 */
export async function seedDemoConversations(
  repositories: Repositories,
  customerIds: readonly string[],
  agentUserId: string,
  secondAgentUserId?: string,
): Promise<number> {
  const conversations = repositories.conversations;
  for (const demo of DEMO_CONVERSATIONS) {
    const customerId =
      demo.customerIndex === undefined
        ? undefined
        : customerIds[demo.customerIndex % customerIds.length];
    const conversation = await conversations.open('web', customerId);
    if (customerId !== undefined)
      await conversations.markVerified(conversation.id, customerId);
    const state = {
      ...initialDialogueState(),
      turns: demo.lines.filter(([sender]) => sender === 'bot').length,
      verified: customerId !== undefined,
      factorsMatched: customerId === undefined ? [] : ['name', 'phone'],
      handedOff: demo.handoff !== undefined,
    };
    // The initial state holds no amounts (bigint): plain JSON is its codec.
    await conversations.createSession(
      conversation.id,
      UNREACHABLE_TOKEN_HASH,
      JSON.stringify(state),
    );
    let lastIntent: string | undefined;
    const lastBot = demo.lines.findLastIndex(([sender]) => sender === 'bot');
    await conversations.appendMessages(
      conversation.id,
      demo.lines.map(([sender, body, intent], index) => {
        if (sender === 'customer' && intent !== undefined) lastIntent = intent;
        const handsOff = demo.handoff !== undefined && index === lastBot;
        return {
          conversationId: conversation.id,
          sender,
          body,
          ...(intent === undefined || sender !== 'bot' ? {} : { intent }),
          ...(sender === 'bot'
            ? {
                actions: handsOff
                  ? [{ type: 'handoff', reason: demo.handoff }]
                  : [],
                complianceVerdict: 'pass' as const,
              }
            : {}),
          ...(sender === 'agent' ? { complianceVerdict: 'pass' as const } : {}),
        };
      }),
    );
    if (lastIntent !== undefined)
      await conversations.setLastIntent(conversation.id, lastIntent);
    if (demo.handoff !== undefined)
      await conversations.handOff(conversation.id, demo.handoff);
    if (
      demo.outcome === 'agent' ||
      (demo.outcome === 'closed' && demo.handoff)
    ) {
      const taken = await conversations.takeOver(
        conversation.id,
        demo.agent === 'second'
          ? (secondAgentUserId ?? agentUserId)
          : agentUserId,
      );
      assert(taken.ok, 'demo: take-over refused');
    }
    if (demo.outcome === 'closed') await conversations.close(conversation.id);
    if (demo.rating !== undefined)
      await conversations.rate(
        conversation.id,
        demo.rating.score,
        demo.rating.comment,
      );
  }
  return DEMO_CONVERSATIONS.length;
}
