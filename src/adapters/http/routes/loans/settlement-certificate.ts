import { formatFen } from '../../../../contracts/money.js';
import { maskIdNumber } from '../../../../domain/compliance/pii-mask.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import { dateParts } from '../../../../domain/shared/calendar-date.js';

// 结清证明: a printable HTML page the borrower can keep or print to PDF from
// the browser. The ID number is shown masked (the borrower knows it; a copy
// that goes astray does not expose it).

export type CertificateFacts = {
  readonly institutionZh: string;
  readonly borrowerName: string;
  readonly idNumber: string;
  readonly loanNo: string;
  readonly productZh: string;
  readonly principalFen: bigint;
  readonly startDate: CalendarDate;
  readonly settledOn: CalendarDate;
  readonly totalRepaidFen: bigint;
  readonly issuedOn: CalendarDate;
  readonly certificateNo: string;
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function zhDate(date: CalendarDate): string {
  const { year, month, day } = dateParts(date);
  return `${year}年${month}月${day}日`;
}

export function renderSettlementCertificate(f: CertificateFacts): string {
  const rows: [string, string][] = [
    ['借款人', f.borrowerName],
    ['证件号码', maskIdNumber(f.idNumber)],
    ['贷款编号', f.loanNo],
    ['贷款产品', f.productZh],
    ['贷款本金', `人民币 ${formatFen(f.principalFen)} 元`],
    ['放款日期', zhDate(f.startDate)],
    ['结清日期', zhDate(f.settledOn)],
    ['累计还款', `人民币 ${formatFen(f.totalRepaidFen)} 元`],
  ];
  const table = rows
    .map(
      ([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>结清证明 ${escapeHtml(f.loanNo)}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;max-width:720px;margin:40px auto;color:#222;line-height:1.8}
h1{text-align:center;letter-spacing:.5em}.no{text-align:right;color:#666;font-size:13px}
table{width:100%;border-collapse:collapse;margin:24px 0}th,td{border:1px solid #999;padding:8px 12px;text-align:left}th{width:28%;background:#f5f5f5;font-weight:normal}
.sign{margin-top:48px;text-align:right}@media print{body{margin:0}}
</style></head><body>
<h1>结清证明</h1>
<p class="no">证明编号：${escapeHtml(f.certificateNo)}</p>
<p>兹证明，借款人 ${escapeHtml(f.borrowerName)} 在我行办理的下列贷款，截至 ${zhDate(f.settledOn)}，本金、利息及相关费用已全部还清，该笔贷款项下借贷关系已终止。</p>
<table>${table}</table>
<p>本证明仅证明上述贷款的结清情况。个人信用报告中的还款记录以征信机构更新为准，通常于结清后的下一个报送周期内更新。</p>
<p class="sign">${escapeHtml(f.institutionZh)}（盖章）<br>${zhDate(f.issuedOn)}</p>
</body></html>
`;
}
