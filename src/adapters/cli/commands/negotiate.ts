import Table from 'cli-table3';
import type { Command } from 'commander';
import { plansForStoredLoan } from '../../../app/negotiation/plans-for-loan.js';
import type {
  PlanKind,
  RankedPlan,
} from '../../../domain/negotiation/plans.js';
import { todayInChina } from '../../clock/today.js';
import { openStorage } from '../../db/storage.js';
import { negotiationPolicyInForce } from '../../negotiation/negotiation-policy.js';
import {
  formatBalance,
  formatPlan,
  negotiateAnswer,
  readBudget,
} from '../../wire/negotiation-codec.js';
import { readDate } from '../../wire/schedule-codec.js';
import { InputError, runJsonl } from '../jsonl.js';

// `loandesk negotiate --jsonl` (spec/contracts.md): repayment plans for a
// customer in difficulty, one JSON line in, one out. `loandesk negotiate
// --loan L --income … --expenses …` prices the plans of a stored loan
// (DATABASE_URL) and prints them as a table for a negotiation specialist.

export const PLAN_KIND_ZH: Record<PlanKind, string> = {
  reamortize: '个性化分期',
  stop_interest: '停息分期',
  waiver: '减免后分期',
  settlement: '一次性折扣结清',
  extension: '展期',
};

function percent(share: string | null): string {
  if (share === null) return '—';
  return `${(Number(share) * 100).toFixed(1)}%`;
}

export function renderPlansTable(plans: readonly RankedPlan[]): string {
  const table = new Table({
    head: [
      '排序',
      '方案',
      '期数',
      '首笔还款',
      '月供',
      '还款总额',
      '减免金额',
      '占可支配收入',
      '回收价值',
      '是否在政策内',
    ],
    style: process.stdout.isTTY === true ? {} : { head: [], border: [] },
  });
  for (const plan of plans) {
    const row = formatPlan(plan);
    table.push([
      row.rank,
      PLAN_KIND_ZH[plan.kind],
      row.months,
      row.first_payment,
      row.monthly_payment,
      row.total_paid,
      row.waived,
      percent(row.share_of_disposable_income),
      row.recovery_value,
      row.within_policy ? '是' : '否（须主管审批）',
    ]);
  }
  return `${table.toString()}\n`;
}

type Flags = {
  jsonl?: boolean;
  loan?: string;
  income?: string;
  expenses?: string;
  today?: string;
  json?: boolean;
};

async function storedLoan(flags: Flags): Promise<void> {
  if (flags.loan === undefined)
    throw new InputError(
      'give --jsonl (plans from stdin) or --loan L --income … --expenses …',
    );
  const budget = readBudget({
    monthly_income_yuan: flags.income,
    monthly_essential_expenses_yuan: flags.expenses,
  });
  const today =
    flags.today === undefined ? todayInChina() : readDate(flags.today, 'today');
  const storage = await openStorage();
  try {
    const inForce = await negotiationPolicyInForce(storage.repositories);
    const found = await plansForStoredLoan(
      storage.repositories.loans,
      { loanNo: flags.loan, ...budget, today },
      inForce.policy,
    );
    if (found === undefined)
      throw new InputError(`loan: no loan ${flags.loan} in the database`);
    if (flags.json === true) {
      process.stdout.write(
        `${JSON.stringify({
          loan_no: found.loan.loanNo,
          policy_version: inForce.version,
          balance: formatBalance(found.case.debt),
          plans: found.plans.map(formatPlan),
        })}\n`,
      );
      return;
    }
    const b = formatBalance(found.case.debt);
    process.stdout.write(
      `贷款 ${found.loan.loanNo}  协商日 ${today}  协商政策第 ${inForce.version} 版\n` +
        `欠款合计 ${b.total} 元（本金 ${b.principal}，利息 ${b.interest}，罚息 ${b.penalty}，费用 ${b.fees}）\n` +
        `月收入 ${flags.income} 元，必要支出 ${flags.expenses} 元\n`,
    );
    if (found.plans.length === 0) {
      process.stdout.write('该贷款当前无欠款，无需协商。\n');
      return;
    }
    process.stdout.write(renderPlansTable(found.plans));
    process.stdout.write(
      '以上方案均按签约当日由贷款核算引擎生成的还款计划计算，以审批结果为准。\n',
    );
  } finally {
    await storage.close();
  }
}

export function registerNegotiateCommand(program: Command): void {
  program
    .command('negotiate')
    .description(
      '协商还款方案：reamortize, stop-interest, waiver, settlement, extension, ranked',
    )
    .option('--jsonl', 'one case per stdin line → one JSON answer per line')
    .option('--loan <loanNo>', 'a stored loan (DATABASE_URL)')
    .option('--income <yuan>', 'monthly income in yuan')
    .option('--expenses <yuan>', 'monthly essential expenses in yuan')
    .option('--today <date>', 'negotiation date (default: today in China)')
    .option('--json', 'print the stored loan’s plans as one JSON object')
    .action(async (flags: Flags) => {
      if (flags.jsonl === true) {
        const today = todayInChina();
        await runJsonl((input) => negotiateAnswer(input, today));
        return;
      }
      await storedLoan(flags);
    });
}
