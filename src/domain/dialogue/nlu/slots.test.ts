import { describe, expect, it } from 'vitest';
import { calendarDate } from '../../shared/calendar-date.js';
import { readSlots } from './slots.js';

const TODAY = calendarDate('2026-11-20');
const slotsOf = (text: string) => readSlots(text, TODAY);

describe('slot reading', () => {
  it.each([
    ['想借5万', 50_000],
    ['五万元', 50_000],
    ['借3千5', 3_500],
    ['借1.2w', 12_000],
    ['贷50000元', 50_000],
    ['我想借50000', 50_000],
    ['十万块', 100_000],
    ['3万月供是多少', 30_000],
    ['借款金额：30000', 30_000],
    ['我要借壹万元', 10_000],
    ['首付5万贷15万', 150_000],
  ])('reads the amount in %s', (text, amountYuan) => {
    expect(slotsOf(text).amount_yuan).toBe(amountYuan);
  });

  it.each([
    ['分3年', 36],
    ['36期', 36],
    ['半年还清', 6],
    ['一年半', 18],
    ['两年', 24],
    ['18个月', 18],
  ])('reads the term in %s', (text, termMonths) => {
    expect(slotsOf(text).term_months).toBe(termMonths);
  });

  it('splits an amount from the term right after it', () => {
    expect(slotsOf('借5万一年利息多少')).toEqual({
      amount_yuan: 50_000,
      term_months: 12,
    });
    expect(slotsOf('贷20万30年每月还多少')).toEqual({
      amount_yuan: 200_000,
      term_months: 360,
    });
  });

  it('does not take elapsed time or paid periods for the term', () => {
    expect(slotsOf('逾期3个月了').term_months).toBeUndefined();
    expect(slotsOf('工作两年了').term_months).toBeUndefined();
    expect(slotsOf('还剩8期').term_months).toBeUndefined();
    expect(slotsOf('年化多少').term_months).toBeUndefined();
  });

  it('does not take rates, counts or days for amounts', () => {
    expect(slotsOf('日息万五').amount_yuan).toBeUndefined();
    expect(slotsOf('逾期3天').amount_yuan).toBeUndefined();
    expect(slotsOf('一次性还清').amount_yuan).toBeUndefined();
  });

  it('reads monthly income apart from the loan amount', () => {
    expect(slotsOf('月收入1万2，想借5万')).toEqual({
      monthly_income_yuan: 12_000,
      amount_yuan: 50_000,
    });
    expect(slotsOf('年薪24万').monthly_income_yuan).toBe(20_000);
  });

  it('reads a checksum-valid ID number and a mobile number without turning them into amounts', () => {
    expect(slotsOf('身份证110101199003078515，手机138 0000 1111')).toEqual({
      id_number: '110101199003078515',
      phone: '13800001111',
    });
  });

  it('ignores an ID number whose checksum fails', () => {
    expect(slotsOf('身份证110101199003078516').id_number).toBeUndefined();
  });

  it('reads loan and application numbers in upper case', () => {
    expect(slotsOf('l202601001还剩多少').loan_no).toBe('L202601001');
    expect(slotsOf('申请AP202611050018到哪了').loan_no).toBe('AP202611050018');
  });

  it('reads the purpose only when the text is about borrowing', () => {
    expect(slotsOf('想贷款装修房子').purpose).toBe('home_renovation');
    expect(slotsOf('借钱还信用卡').purpose).toBe('debt_repayment');
    expect(slotsOf('生病住院了能不能延期').purpose).toBeUndefined();
    expect(slotsOf('住院了，这个月的贷款能不能晚点还').purpose).toBeUndefined();
    expect(slotsOf('开了个五金店，想贷款进一批货').purpose).toBe('business');
    expect(slotsOf('我开店的，没有流水，能贷吗').purpose).toBeUndefined();
  });

  it('ignores runs of numerals too long or too large to be a typed amount', () => {
    expect(slotsOf('1万2千3百'.repeat(200)).amount_yuan).toBeUndefined();
    expect(slotsOf('借9999999999999元').amount_yuan).toBeUndefined();
  });

  it('carries nothing the text does not state', () => {
    expect(slotsOf('你好')).toEqual({});
  });
});
