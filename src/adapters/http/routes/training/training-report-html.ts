import type { TrainingReportOutput } from '../../../../contracts/qa.js';

// The trainee's assessment report as a printable page (打印 / 另存为PDF).

const ITEM_ZH: Record<string, string> = {
  greeting: '开场问候',
  identity_check: '身份核实',
  confirm_need: '需求确认',
  empathy: '情绪安抚',
  clear_explanation: '清晰表达',
  correct_facts: '信息准确',
  compliance: '合规',
  handoff_or_ticket: '转接/工单',
  closing: '结束语',
};

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function percent(share: string): string {
  return `${(Number.parseFloat(share) * 100).toFixed(1)}%`;
}

export function renderTrainingReport(
  report: TrainingReportOutput,
  today: string,
): string {
  const rows = (cells: readonly string[][]) =>
    cells
      .map(
        (row) =>
          `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`,
      )
      .join('');
  const empty = '<p class="empty">暂无记录</p>';
  const sessions =
    report.sessions.length === 0
      ? empty
      : `<table><thead><tr><th>日期</th><th>陪练角色</th><th>模式</th><th>得分</th><th>红线</th></tr></thead><tbody>${rows(
          report.sessions.map((s) => [
            s.date,
            s.persona_name,
            s.exam ? '考试' : '练习',
            String(s.score),
            s.hard_fail ? '触碰' : '—',
          ]),
        )}</tbody></table>`;
  const personas =
    report.by_persona.length === 0
      ? empty
      : `<table><thead><tr><th>陪练角色</th><th>次数</th><th>最高分</th><th>最近得分</th></tr></thead><tbody>${rows(
          report.by_persona.map((p) => [
            p.persona_name,
            String(p.sessions),
            String(p.best),
            String(p.latest),
          ]),
        )}</tbody></table>`;
  const quizzes =
    report.quizzes.length === 0
      ? empty
      : `<table><thead><tr><th>日期</th><th>题数</th><th>得分</th></tr></thead><tbody>${rows(
          report.quizzes.map((q) => [q.date, String(q.total), String(q.score)]),
        )}</tbody></table>`;
  const weakest =
    report.weakest_items.length === 0
      ? empty
      : `<table><thead><tr><th>评分项</th><th>失分比例</th></tr></thead><tbody>${rows(
          report.weakest_items
            .slice(0, 5)
            .map((w) => [ITEM_ZH[w.item] ?? w.item, percent(w.share)]),
        )}</tbody></table>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>学员考核报告 - ${escapeHtml(report.username)}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:32px;color:#1f1f1f}
h1{font-size:22px;margin-bottom:4px}h2{font-size:16px;margin-top:28px;border-left:4px solid #1677ff;padding-left:8px}
table{border-collapse:collapse;width:100%;margin-top:8px}th,td{border:1px solid #d9d9d9;padding:6px 10px;text-align:left;font-size:13px}
th{background:#fafafa}.meta{color:#595959;font-size:13px}.empty{color:#8c8c8c}
@media print{body{margin:12mm}}
</style></head><body>
<h1>学员考核报告</h1>
<p class="meta">学员：${escapeHtml(report.username)}${report.team === null ? '' : `　　班组：${escapeHtml(report.team)}`}　　生成日期：${escapeHtml(today)}</p>
<h2>各角色陪练成绩</h2>${personas}
<h2>最薄弱的评分项</h2>${weakest}
<h2>陪练记录（进步曲线）</h2>${sessions}
<h2>知识测验</h2>${quizzes}
</body></html>
`;
}
