import { formatFen } from '../../../../contracts/money.js';
import { maskIdNumber } from '../../../../domain/compliance/pii-mask.js';
import type { LedgerInstallment } from '../../../db/repositories/loan-repository.js';
import type { Agreement } from '../../../db/repositories/negotiation-repository.js';
import { escapeHtml, zhDate } from '../loans/settlement-certificate.js';

// 协商还款协议: a printable HTML agreement with what INT-06 asks an
// individual repayment agreement to state — the balance and its structure
// and currency, the new schedule and amounts, whether interest and fees are
// charged, the borrower's rights and duties, and what happens on a missed
// installment.

export type AgreementFacts = {
  readonly institutionZh: string;
  readonly borrowerName: string;
  readonly idNumber: string;
  readonly loanNo: string;
  readonly agreement: Agreement;
  readonly installments: readonly LedgerInstallment[];
};

const KIND_ZH: Record<string, string> = {
  reamortize: '个性化分期还款（按原合同利率重新分期）',
  stop_interest: '停息分期还款（自签约日起停止计收利息与罚息）',
  waiver: '减免部分罚息和利息后分期还款',
  settlement: '折扣后一次性结清',
  extension: '展期还款（剩余本金延长还款期限，欠息、罚息于签约时结清）',
};

const yuan = (fen: bigint) => `人民币 ${formatFen(fen)} 元`;

export function renderAgreement(f: AgreementFacts): string {
  const a = f.agreement;
  const d = a.debt;
  const total = d.principalFen + d.interestFen + d.feeFen + d.penaltyFen;
  const chargesInterest = a.kind === 'reamortize' || a.kind === 'extension';
  const facts: [string, string][] = [
    ['协议编号', a.agreementNo],
    ['借款人', f.borrowerName],
    ['证件号码', maskIdNumber(f.idNumber)],
    ['原贷款编号', f.loanNo],
    ['币种', '人民币'],
    ['协商时欠款合计', yuan(total)],
    ['其中：本金', yuan(d.principalFen)],
    ['其中：利息', yuan(d.interestFen)],
    ['其中：罚息', yuan(d.penaltyFen)],
    ['其中：费用', yuan(d.feeFen)],
    ['还款方式', KIND_ZH[a.kind] ?? a.kind],
    ['期数', `${a.months} 期`],
    ['减免金额', yuan(a.waivedFen)],
    ['签约时应付', yuan(a.dueAtSigningFen)],
    ['还款总额', yuan(a.totalPaidFen)],
    ['是否计收利息', chargesInterest ? '是，按原合同年利率计收' : '否'],
    ['是否收取年费及其他费用', '否'],
  ];
  const factRows = facts
    .map(
      ([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('');
  const scheduleRows = f.installments
    .map(
      (row) =>
        `<tr><td>${row.n}</td><td>${zhDate(row.dueDate)}</td><td>${formatFen(row.paymentFen)}</td><td>${formatFen(row.principalFen)}</td><td>${formatFen(row.interestFen)}</td><td>${formatFen(row.balanceFen)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>协商还款协议 ${escapeHtml(a.agreementNo)}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;max-width:760px;margin:40px auto;color:#222;line-height:1.8}
h1{text-align:center;letter-spacing:.3em}table{width:100%;border-collapse:collapse;margin:16px 0}
th,td{border:1px solid #999;padding:6px 10px;text-align:left}th{background:#f5f5f5;font-weight:normal}
.sign{margin-top:40px;display:flex;justify-content:space-between}@media print{body{margin:0}}
</style></head><body>
<h1>协商还款协议</h1>
<p>甲方（贷款人）：${escapeHtml(f.institutionZh)}<br>乙方（借款人）：${escapeHtml(f.borrowerName)}</p>
<p>鉴于乙方因还款能力暂时不足未能按原借款合同按期还款，且乙方有继续还款的意愿，经双方平等协商，就原贷款 ${escapeHtml(f.loanNo)} 的剩余欠款达成如下还款安排：</p>
<h2>一、欠款金额与还款安排</h2>
<table>${factRows}</table>
<h2>二、新的还款计划</h2>
<table><tr><th>期数</th><th>还款日</th><th>应还金额（元）</th><th>本金（元）</th><th>利息（元）</th><th>剩余本金（元）</th></tr>${scheduleRows}</table>
<h2>三、双方权利与义务</h2>
<ol>
<li>乙方应按上述还款计划按时足额还款，还款须通过甲方官方渠道（手机银行、网点柜台或甲方公布的对公账户）办理，不得向任何个人账户转账。</li>
<li>本协议生效并正常履行期间，甲方暂停对乙方的催收。</li>
<li>乙方在本协议项下欠款全部还清前，不得向甲方申请新的贷款或信用卡。</li>
<li>乙方任何一期未按时足额还款的，甲方有权终止本协议，已减免的金额可恢复计收，并按原合同约定计收罚息；逾期情况将按规定报送征信机构。</li>
<li>乙方对欠款金额有异议的，可通过甲方客服热线或网点提出，甲方应在规定期限内答复。</li>
</ol>
<h2>四、其他</h2>
<p>本协议自双方签字（盖章）之日起生效，与原借款合同不一致的，以本协议为准；本协议未约定的事项，仍按原借款合同执行。本协议经电话达成的，通话录音与本协议具有同等效力，并保存至欠款结清之日。</p>
<div class="sign"><p>甲方（盖章）：${escapeHtml(f.institutionZh)}</p><p>乙方（签字）：</p></div>
<p>签约日期：${zhDate(a.signedOn)}</p>
</body></html>
`;
}
