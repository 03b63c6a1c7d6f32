import { describe, expect, it } from 'vitest';
import { readEmotion, readFraudSignals, readRiskSignals } from './signals.js';

describe('fraud signals', () => {
  it.each([
    ['有人让我先交保证金才能放款', 'upfront_fee'],
    ['对方说要交解冻费', 'upfront_fee'],
    ['有人自称你们客服给我打电话', 'impersonation'],
    ['对方让我报验证码', 'credential_request'],
    ['让我开共享屏幕', 'credential_request'],
    ['让我转账刷流水提高额度', 'fake_flow'],
    ['说我的校园贷账户要注销，不然影响征信', 'account_cancellation_scam'],
  ])('finds %s → %s', (text, signal) => {
    expect(readFraudSignals(text)).toContain(signal);
  });

  it('returns fraud signals in taxonomy order', () => {
    expect(readFraudSignals('有人自称你们客服让我交保证金')).toEqual([
      'upfront_fee',
      'impersonation',
    ]);
  });

  it('stays silent when the customer asks about our own fees or codes', () => {
    expect(readFraudSignals('有没有手续费')).toEqual([]);
    expect(readFraudSignals('会有保证金吗')).toEqual([]);
    expect(readFraudSignals('收不到验证码怎么办')).toEqual([]);
    expect(readFraudSignals('我要注销账户')).toEqual([]);
    expect(readFraudSignals('放款前还要我交什么钱吗')).toEqual([]);
    expect(readFraudSignals('提前说清楚有没有乱收费')).toEqual([]);
  });
});

describe('risk signals', () => {
  it.each([
    ['今天必须到账', 'urgent_need'],
    ['利息高点没关系', 'rate_insensitive'],
    ['到时候再想办法还', 'vague_repayment_source'],
    ['快点批，催了好几次了', 'frequent_urging'],
    ['上个月刚离职', 'job_change'],
    ['借了好几个网贷', 'many_online_loans'],
    ['最近查了很多次征信', 'many_credit_inquiries'],
    ['能帮我做流水吗', 'falsify_request'],
    ['收入能写高点吗', 'falsify_request'],
    ['借这笔是为了还别的贷款', 'borrow_to_repay'],
    ['每月还款已经超过收入一半', 'high_debt'],
    ['我每个月的还款已经占了工资的大半', 'high_debt'],
    ['我在五六个平台借过钱', 'many_online_loans'],
    ['征信被查了七八次', 'many_credit_inquiries'],
    ['上周才换的工作', 'job_change'],
    ['先借着吧，怎么还以后再说', 'vague_repayment_source'],
    ['帮我把收入证明弄得好看点', 'falsify_request'],
    ['想借5万还掉信用卡的欠款', 'borrow_to_repay'],
    ['我已经问了三遍了', 'frequent_urging'],
  ])('finds %s → %s', (text, signal) => {
    expect(readRiskSignals(text)).toContain(signal);
  });

  it('finds nothing in a plain question', () => {
    expect(readRiskSignals('利息多少')).toEqual([]);
  });

  it('reads co-occurring cues in wording no phrase list holds', () => {
    expect(readRiskSignals('钱今天必须打过来，不然我就麻烦了')).toContain(
      'urgent_need',
    );
    expect(readRiskSignals('年化高一点我也认')).toContain('rate_insensitive');
    expect(readRiskSignals('怎么还我还没想好')).toContain(
      'vague_repayment_source',
    );
    expect(readRiskSignals('能不能把我的月收入填成两万')).toContain(
      'falsify_request',
    );
    expect(readRiskSignals('借钱是为了把借呗还上')).toContain(
      'borrow_to_repay',
    );
    expect(readRiskSignals('我工资一大半都拿去还贷款了')).toContain(
      'high_debt',
    );
    expect(readRiskSignals('我征信上一堆查询记录')).toContain(
      'many_credit_inquiries',
    );
  });

  it('returns each signal once, in taxonomy order', () => {
    expect(readRiskSignals('利率无所谓，只要快，急用')).toEqual([
      'urgent_need',
      'rate_insensitive',
    ]);
  });

  it('does not read questions that merely mention the topic', () => {
    expect(readRiskSignals('晚了两天，征信会花吗')).toEqual([]);
    expect(readRiskSignals('申请的时候收入写多少合适')).toEqual([]);
    expect(readRiskSignals('还清证明可以加急吗')).toEqual([]);
  });

  it('reads a fake-flow scam story as fraud, not as a falsify request', () => {
    expect(readRiskSignals('有人叫我走流水把额度做高')).toEqual([]);
    expect(readFraudSignals('有人叫我走流水把额度做高')).toEqual(['fake_flow']);
  });
});

describe('emotion', () => {
  it('reads anger, anxiety and calm', () => {
    expect(readEmotion('你们服务太差了，我要投诉')).toBe('angry');
    expect(readEmotion('气死我了!!!')).toBe('angry');
    expect(readEmotion('这个月还不上了，怎么办啊😭')).toBe('anxious');
    expect(readEmotion('利息多少')).toBe('neutral');
  });

  it('puts anger before anxiety when both are present', () => {
    expect(readEmotion('急死了，你们这什么破服务')).toBe('angry');
  });

  it('does not read 紧急联系人 or 怎么办理 as anxiety', () => {
    expect(readEmotion('怎么改紧急联系人')).toBe('neutral');
    expect(readEmotion('怎么办理贷款')).toBe('neutral');
  });

  it('tells emoji apart (a smile is not distress)', () => {
    expect(readEmotion('你好啊😊')).toBe('neutral');
  });
});
