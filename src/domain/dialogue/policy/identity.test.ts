import { describe, expect, it } from 'vitest';
import { asksForThirdParty, mergeFactors, readIdentity } from './identity.js';

const customer = {
  name: '王小明',
  idNumber: '110105198503124523',
  phone: '13800001111',
};

describe('readIdentity', () => {
  it('matches the full name and the registered phone', () => {
    const reading = readIdentity('我叫王小明，手机13800001111', {}, customer);
    expect(reading.matched).toEqual(['name', 'phone']);
  });

  it('matches the last six characters of the ID number', () => {
    const reading = readIdentity('身份证后六位124523', {}, customer);
    expect(reading.matched).toEqual(['id_number']);
  });

  it('matches a full ID number given as a slot', () => {
    const reading = readIdentity(
      '身份证号码见上',
      { id_number: customer.idNumber },
      customer,
    );
    expect(reading.matched).toEqual(['id_number']);
  });

  it('reads full-width digits', () => {
    const reading = readIdentity('１３８００００１１１１', {}, customer);
    expect(reading.matched).toEqual(['phone']);
  });

  it('reports offered data that matches nothing', () => {
    const reading = readIdentity('我叫李四，手机13900002222', {}, customer);
    expect(reading).toEqual({ matched: [], offered: true });
  });

  it('reads 王小明的儿子 as a relative naming the holder, not as the holder', () => {
    const reading = readIdentity(
      '我是王小明的儿子，他手机13800001111',
      {},
      customer,
    );
    expect(reading.matched).toEqual(['phone']);
  });

  it('sees no identity data in an ordinary question', () => {
    expect(readIdentity('这个月要还多少', {}, customer).offered).toBe(false);
  });
});

describe('mergeFactors', () => {
  it('keeps each factor once in a stable order', () => {
    expect(mergeFactors(['phone'], ['name', 'phone'])).toEqual([
      'name',
      'phone',
    ]);
  });
});

describe('asksForThirdParty', () => {
  it('recognises a question about a relative loan', () => {
    expect(
      asksForThirdParty('我想查一下我妈妈的贷款还欠多少', 'repayment_schedule'),
    ).toBe(true);
    expect(asksForThirdParty('帮我老公看看审批进度', 'approval_progress')).toBe(
      true,
    );
  });

  it('does not mistake 其他的 or a friend recommending a product for it', () => {
    expect(asksForThirdParty('还有其他的贷款产品吗', 'product_inquiry')).toBe(
      false,
    );
    expect(asksForThirdParty('我朋友推荐我来问问利率', 'rate_inquiry')).toBe(
      false,
    );
  });
});
