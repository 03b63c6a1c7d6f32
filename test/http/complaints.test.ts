// Proves the complaint desk through the HTTP API on every dialect: a
// complaint from the phone gets its regulatory deadline (CP-01: end of the
// 15th day; CP-04: 20 days for a credit-report dispute even when complex),
// the customer is told it was received, escalation raises it as the
// deadline nears and is idempotent, assignment and resolution are audited,
// a non-compliant resolution text is refused with the findings, and the
// resolution reaches the customer's in-app inbox and SMS outbox.
import { afterEach, describe, expect, it } from 'vitest';
import { listAuditForSubject } from '../../src/adapters/db/repositories/audit-repository.js';
import { seedDemoComplaints } from '../../src/app/demo/seed-demo-complaints.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { DIALECTS } from '../db/dialects.js';
import { type ChannelWorld, openChannelWorld } from '../helpers/channels.js';

type Ticket = {
  id: string;
  ticket_no: string;
  status: string;
  due_at: string;
  decision_date: string;
  days_left: number;
  overdue: boolean;
  escalation_level: number;
  assigned_user_id: string | null;
  resolution: string | null;
};

describe.each(DIALECTS)('complaint desk on %s', (dialect) => {
  let world: ChannelWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function escalate(w: ChannelWorld, now: string) {
    const response = await w.app.inject({
      method: 'POST',
      url: '/api/v1/complaints/escalate',
      headers: w.headers('supervisor'),
      payload: { now },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      checked: number;
      escalated: { ticket_no: string; level: number }[];
    };
  }

  it('escalates a complaint before its deadline and resolves it with the customer notified', async () => {
    const w = await openChannelWorld(dialect);
    world = w;
    w.setNow('2026-11-20T10:00:00+08:00');
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: w.headers('agent'),
      payload: {
        customer_id: w.customerId,
        source: 'phone',
        category: 'fees_interest',
        summary: '客户来电反映11月还款被重复扣收服务费。',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { ticket, notices } = created.json() as {
      ticket: Ticket;
      notices: { sent: number };
    };
    // Received 2026-11-20: decided by the end of 2026-12-05, Beijing time.
    expect(ticket.due_at).toBe('2026-12-05T16:00:00.000Z');
    expect(ticket.decision_date).toBe('2026年12月5日');
    expect(ticket.days_left).toBe(15);
    expect(ticket.ticket_no).toMatch(/^TS20261120-[0-9A-Z]{6}$/);
    expect(notices.sent).toBe(2);

    expect((await escalate(w, '2026-11-25T10:00:00+08:00')).escalated).toEqual(
      [],
    );
    const first = await escalate(w, '2026-12-01T10:00:00+08:00');
    expect(first.escalated).toEqual([
      expect.objectContaining({ ticket_no: ticket.ticket_no, level: 1 }),
    ]);
    // Idempotent: the same instant again, and later the same day, change nothing.
    expect((await escalate(w, '2026-12-01T10:00:00+08:00')).escalated).toEqual(
      [],
    );
    expect((await escalate(w, '2026-12-01T18:00:00+08:00')).escalated).toEqual(
      [],
    );
    const second = await escalate(w, '2026-12-04T10:00:00+08:00');
    expect(second.escalated.map((e) => e.level)).toEqual([2]);

    w.setNow('2026-12-04T10:05:00+08:00');
    const listed = await w.app.inject({
      method: 'GET',
      url: '/api/v1/complaints',
      headers: w.headers('supervisor'),
    });
    const [row] = listed.json() as Ticket[];
    expect(row).toMatchObject({
      id: ticket.id,
      escalation_level: 2,
      overdue: false,
      days_left: 1,
    });

    const agentId = w.userIds.get('agent') ?? '';
    const assigned = await w.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ticket.id}/assign`,
      headers: w.headers('supervisor'),
      payload: { user_id: agentId },
    });
    expect(assigned.json()).toMatchObject({
      status: 'in_progress',
      assigned_user_id: agentId,
    });

    const refused = await w.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ticket.id}/resolve`,
      headers: w.headers('agent'),
      payload: { resolution: '保证下次一定给您免除全部罚息。' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      error: { code: 'complaint.resolution_not_compliant' },
    });
    expect(
      (refused.json() as { findings: { category: string }[] }).findings[0]
        ?.category,
    ).toBe('false_waiver_promise');

    const resolution =
      '经核实，重复扣收的服务费12.00元已于今日退回您的还款账户。';
    const resolved = await w.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ticket.id}/resolve`,
      headers: w.headers('agent'),
      payload: { resolution },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({
      ticket: { status: 'resolved', resolution },
      notices: { sent: 2 },
    });
    const again = await w.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ticket.id}/resolve`,
      headers: w.headers('agent'),
      payload: { resolution },
    });
    expect(again.statusCode).toBe(409);

    const inbox = await w.app.inject({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}/inbox`,
      headers: w.headers('agent'),
    });
    const messages = inbox.json() as { title: string; body: string }[];
    expect(messages.map((m) => m.title).sort()).toEqual([
      '投诉处理结果',
      '投诉已受理',
    ]);
    const result = messages.find((m) => m.title === '投诉处理结果');
    expect(result?.body).toContain(resolution);
    expect(result?.body).toContain(ticket.ticket_no);
    expect(result?.body).toContain('王*明');

    const detail = await w.app.inject({
      method: 'GET',
      url: `/api/v1/complaints/${ticket.id}`,
      headers: w.headers('supervisor'),
    });
    const notices2 = (detail.json() as { notices: { status: string }[] })
      .notices;
    expect(notices2.map((n) => n.status)).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
    ]);
    const audit = await listAuditForSubject(
      w.database.db,
      'complaint',
      ticket.id,
    );
    expect(audit.map((e) => e.action)).toEqual([
      'complaint.open',
      'complaint.escalate',
      'complaint.escalate',
      'complaint.assign',
      'complaint.resolve',
    ]);
    // Escalating a resolved ticket changes nothing, even past its deadline.
    expect((await escalate(w, '2026-12-20T10:00:00+08:00')).escalated).toEqual(
      [],
    );
  });

  it('gives a credit-report dispute 20 days even when complex, and extends once with notice', async () => {
    const w = await openChannelWorld(dialect);
    world = w;
    w.setNow('2026-11-20T23:30:00+08:00');
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: w.headers('supervisor'),
      payload: {
        customer_id: w.customerId,
        source: 'email',
        category: 'credit_report',
        complexity: 'complex',
        summary: '客户来信对征信报告中的一条逾期记录提出异议。',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json() as {
      ticket: Ticket;
      notices: { sent: number; deferred: number };
    };
    expect(body.ticket.decision_date).toBe('2026年12月10日');
    // Received at 23:30: the acknowledgement waits for the morning (COL-01).
    expect(body.notices).toMatchObject({ sent: 0, deferred: 2 });
    w.setNow('2026-11-21T09:00:00+08:00');
    const extended = await w.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${body.ticket.id}/extend`,
      headers: w.headers('supervisor'),
      payload: { days: 30, reason: '需向征信中心调取原始报送记录核实' },
    });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(extended.json()).toMatchObject({
      ticket: { decision_date: '2027年1月9日' },
      notices: { sent: 2 },
    });
    const twice = await w.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${body.ticket.id}/extend`,
      headers: w.headers('supervisor'),
      payload: { days: 5, reason: '再次延期' },
    });
    expect(twice.statusCode).toBe(409);
    const tooLong = await w.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: w.headers('supervisor'),
      payload: { source: 'chat', category: 'no_such_category', summary: 'x' },
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it('seeds demo complaints across states and deadlines', async () => {
    const w = await openChannelWorld(dialect);
    world = w;
    const seeded = await seedDemoComplaints(w.repositories, {
      today: calendarDate('2026-12-10'),
      policy: w.runtime.complaintPolicy,
      customerIds: [w.customerId],
      assigneeId: w.userIds.get('agent'),
    });
    w.setNow('2026-12-10T09:00:00+08:00');
    const open = await w.app.inject({
      method: 'GET',
      url: '/api/v1/complaints',
      headers: w.headers('supervisor'),
    });
    const tickets = open.json() as (Ticket & { extension_days: number })[];
    expect(tickets.map((t) => t.status).sort()).toEqual([
      'in_progress',
      'in_progress',
      'in_progress',
      'open',
      'open',
      'open',
    ]);
    expect(tickets.filter((t) => t.overdue)).toHaveLength(1);
    expect(tickets.map((t) => t.escalation_level).sort()).toEqual([
      0, 0, 1, 2, 2, 3,
    ]);
    expect(tickets.filter((t) => t.extension_days === 30)).toHaveLength(1);
    const resolved = await w.app.inject({
      method: 'GET',
      url: '/api/v1/complaints?status=resolved',
      headers: w.headers('supervisor'),
    });
    expect(resolved.json()).toHaveLength(1);
    expect(seeded).toBe(8);
    // Escalating the seeded desk at the same instant finds nothing to raise.
    expect((await escalate(w, '2026-12-10T09:00:00+08:00')).escalated).toEqual(
      [],
    );
  });

  it('refuses the complaint desk to a collector', async () => {
    const w = await openChannelWorld(dialect);
    world = w;
    const response = await w.app.inject({
      method: 'GET',
      url: '/api/v1/complaints',
      headers: w.headers('collector'),
    });
    expect(response.statusCode).toBe(403);
  });
});
