// Demo complaint tickets across states and deadlines, so the complaint desk
// and the dashboard have something to show: new, close to the deadline,
// escalated, overdue, extended, resolved and closed. Deadlines follow the
// complaint policy (CP-01, CP-04) from each ticket's day of receipt,
// counted back from the demo book's business date.
import type { Repositories } from '../../adapters/db/repositories/index.js';
import {
  type ComplaintPolicy,
  type ComplaintSource,
  type Complexity,
  deadlineUtcMinute,
  decisionDays,
  escalationLevel,
} from '../../domain/complaints/deadlines.js';
import { parseLocalInstant } from '../../domain/compliance/local-time.js';
import { assert } from '../../domain/shared/assert.js';
import {
  addDays,
  type CalendarDate,
} from '../../domain/shared/calendar-date.js';

type DemoComplaint = {
  readonly ageDays: number;
  readonly source: ComplaintSource;
  readonly category: string;
  readonly complexity: Complexity;
  readonly summary: string;
  readonly state: 'open' | 'assigned' | 'extended' | 'resolved' | 'closed';
  readonly resolution?: string;
};

const DEMO_COMPLAINTS: readonly DemoComplaint[] = [
  {
    ageDays: 0,
    source: 'chat',
    category: 'fees_interest',
    complexity: 'simple',
    summary:
      '客户在线咨询时反映本期还款金额比合同约定多出一笔服务费，要求核实。',
    state: 'open',
  },
  {
    ageDays: 12,
    source: 'phone',
    category: 'collection_conduct',
    complexity: 'simple',
    summary: '客户来电反映上周连续两天在早上七点多收到还款提醒电话，影响休息。',
    state: 'open',
  },
  {
    ageDays: 19,
    source: 'email',
    category: 'credit_report',
    complexity: 'complex',
    summary: '客户来信对征信报告中一条逾期记录提出异议，称当期已按时还款。',
    state: 'assigned',
  },
  {
    ageDays: 14,
    source: 'phone',
    category: 'service_quality',
    complexity: 'simple',
    summary: '客户反映客服热线等待时间过长，问题未能一次解决。',
    state: 'assigned',
  },
  {
    ageDays: 16,
    source: 'chat',
    category: 'repayment_posting',
    complexity: 'simple',
    summary: '客户称通过手机银行还款后三天仍显示未入账。',
    state: 'open',
  },
  {
    ageDays: 25,
    source: 'email',
    category: 'product_disclosure',
    complexity: 'complex',
    summary: '客户认为办理贷款时未被充分告知提前还款违约金的计算方式。',
    state: 'extended',
  },
  {
    ageDays: 10,
    source: 'phone',
    category: 'privacy',
    complexity: 'simple',
    summary: '客户询问其紧急联系人为何接到本行来电，担心个人信息泄露。',
    state: 'resolved',
    resolution:
      '经核查，来电系紧急联系人信息核实，未透露任何借款信息，已向客户说明并致歉。',
  },
  {
    ageDays: 30,
    source: 'chat',
    category: 'other',
    complexity: 'simple',
    summary: '客户建议手机银行增加还款日提醒的自定义时间设置。',
    state: 'closed',
    resolution: '已记录客户建议并转交产品部门评估，感谢客户的宝贵意见。',
  },
];

const OFFSET = '+08:00';
const MINUTES_PER_DAY = 1440;

function isoOf(utcMinute: number): string {
  return new Date(utcMinute * 60_000).toISOString();
}

/** Seeds the demo complaints for the first customers of the book. */
export async function seedDemoComplaints(
  repositories: Repositories,
  input: {
    readonly today: CalendarDate;
    readonly policy: ComplaintPolicy;
    readonly customerIds: readonly string[];
    readonly assigneeId: string | undefined;
  },
): Promise<number> {
  const now = parseLocalInstant(`${input.today}T09:00:00${OFFSET}`);
  assert(now !== undefined, 'demo complaints: today');
  let index = 0;
  for (const complaint of DEMO_COMPLAINTS) {
    const customerId = input.customerIds[index % input.customerIds.length];
    index += 1;
    const received = parseLocalInstant(
      `${addDays(input.today, -complaint.ageDays)}T10:00:00${OFFSET}`,
    );
    assert(received !== undefined, 'demo complaints: received');
    const days = decisionDays(
      input.policy,
      complaint.category,
      complaint.complexity,
    );
    const extension =
      complaint.state === 'extended' ? input.policy.extensionDaysMax : 0;
    const dueMinute =
      deadlineUtcMinute(received, days) + extension * MINUTES_PER_DAY;
    const ticket = await repositories.complaints.openTicket({
      ticketNo: `TS${addDays(input.today, -complaint.ageDays).replaceAll('-', '')}-DEMO${String(index).padStart(2, '0')}`,
      ...(customerId === undefined ? {} : { customerId }),
      ticketType: 'complaint',
      summary: complaint.summary,
      dueAt: isoOf(deadlineUtcMinute(received, days)),
      source: complaint.source,
      category: complaint.category,
      complexity: complaint.complexity,
    });
    if (complaint.state === 'extended')
      await repositories.complaints.extend(
        ticket.id,
        extension,
        '需调取办理时的录音录像资料核实',
        isoOf(dueMinute),
      );
    if (complaint.state !== 'open' && input.assigneeId !== undefined)
      await repositories.complaints.assign(ticket.id, input.assigneeId);
    if (complaint.state === 'resolved' || complaint.state === 'closed') {
      await repositories.complaints.resolve(
        ticket.id,
        complaint.resolution ?? '',
        'system:demo',
      );
      if (complaint.state === 'closed')
        await repositories.complaints.updateTicket(ticket.id, 'closed');
      continue;
    }
    const level = escalationLevel(input.policy, dueMinute, now.utcMinute);
    if (level > 0)
      await repositories.complaints.escalateTo(
        ticket.id,
        level,
        isoOf(now.utcMinute),
      );
  }
  return DEMO_COMPLAINTS.length;
}
