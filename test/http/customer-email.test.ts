// Proves the customer e-mail API through HTTP on every dialect: an agent
// sets a customer's address with a reason (stored encrypted: the column
// never holds it in clear), everyone reads it masked, a supervisor reads it
// in full only with a reason (audited; an agent's attempt is refused and
// audited), changes and removal are audited with masked addresses only
// (the audit log never holds the address), bad input is refused by the
// schema and the format check — and a reminder dispatched afterwards is
// delivered by a REAL SMTP server process to the address set through the
// API, until the address is removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelRuntime } from '../../src/adapters/channels/channel-runtime.js';
import type { Role } from '../../src/domain/security/permissions.js';
import { DIALECTS, testCipher } from '../db/dialects.js';
import { seedLoan, WANG } from '../db/fixtures.js';
import { insertReminder } from '../helpers/channels.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-process.js';
import { openStoreApp, type StoreApp } from './store-app.js';

type Json = Record<string, unknown>;
const ADDRESS = 'wang.xiaoming@example.com';

describe.each(DIALECTS)('customer e-mail API on %s', (dialect) => {
  let s: StoreApp;
  let smtp: SmtpSink;
  let customerId = '';
  let loanId = '';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    s = await openStoreApp(dialect, {}, (database) => ({
      channels: createChannelRuntime({
        db: database.db,
        cipher: testCipher(),
        env: {
          LOANDESK_SMTP_URL: smtp.url,
          LOANDESK_MAIL_FROM: 'LoanDesk 演示银行 <noreply@bank.example>',
        },
      }),
      now: () => '2026-12-10T09:00:00+08:00',
    }));
    const seeded = await seedLoan(s.repos, 'L202612701', WANG);
    customerId = seeded.customerId;
    loanId = seeded.loan.id;
  }, 60_000);

  afterAll(async () => {
    await s?.close();
    await smtp?.stop();
  });

  const call = (
    role: Role | 'nobody',
    method: 'GET' | 'PUT' | 'DELETE' | 'POST',
    url: string,
    payload?: Json,
  ) =>
    s.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: s.as(role),
      ...(payload === undefined ? {} : { payload }),
    });

  const auditOf = (action: string) =>
    s.database.db
      .selectFrom('audit_log')
      .select(['actor', 'subject_id', 'details'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  it('sets, reads masked or in full with a reason, removes, all audited, and reminders use it', async () => {
    const url = `/customers/${customerId}/email`;
    const none = await call('agent', 'GET', url);
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toMatchObject({ email: null, masked: true });

    expect(
      (
        await call('nobody', 'PUT', url, {
          email: ADDRESS,
          reason: '客户来电提供',
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await call('collector', 'PUT', url, {
          email: ADDRESS,
          reason: '客户来电提供',
        })
      ).statusCode,
    ).toBe(403);
    const bad = await call('agent', 'PUT', url, {
      email: 'not an address',
      reason: '客户来电提供',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'email' } });
    expect(
      (await call('agent', 'PUT', url, { email: ADDRESS })).statusCode,
    ).toBe(400);
    expect(
      (
        await call('agent', 'PUT', '/customers/cus_missing/email', {
          email: ADDRESS,
          reason: '客户来电提供',
        })
      ).statusCode,
    ).toBe(404);

    const set = await call('agent', 'PUT', url, {
      email: ADDRESS,
      reason: '客户来电要求以邮件接收还款提醒',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({
      customer_id: customerId,
      email: 'w***@example.com',
      email_enabled: true,
      masked: true,
    });
    const row = await s.database.db
      .selectFrom('customer_channels')
      .select('email_enc')
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow();
    expect(row.email_enc).not.toBeNull();
    expect(row.email_enc).not.toContain('example.com');
    expect(row.email_enc).not.toContain('wang');

    expect((await call('agent', 'GET', url)).json()).toMatchObject({
      email: 'w***@example.com',
      masked: true,
    });
    const refused = await call(
      'agent',
      'GET',
      `${url}?unmasked=true&reason=${encodeURIComponent('核对')}`,
    );
    expect(refused.statusCode).toBe(403);
    const noReason = await call('supervisor', 'GET', `${url}?unmasked=true`);
    expect(noReason.statusCode).toBe(400);
    const full = await call(
      'supervisor',
      'GET',
      `${url}?unmasked=true&reason=${encodeURIComponent('客户投诉核实邮件送达')}`,
    );
    expect(full.statusCode, full.body).toBe(200);
    expect(full.json()).toMatchObject({ email: ADDRESS, masked: false });
    const reads = await auditOf('customer.pii_read');
    expect(reads.map((r) => r.actor)).toEqual(['supervisor']);
    expect(JSON.parse(reads[0]?.details ?? '{}')).toMatchObject({
      field: 'email',
      reason: '客户投诉核实邮件送达',
    });
    const refusals = await auditOf('customer.pii_read_refused');
    expect(refusals.map((r) => r.actor).sort()).toEqual([
      'agent',
      'supervisor',
    ]);

    // A reminder the end-of-day batch left is e-mailed to that address.
    await insertReminder(
      { database: s.database, customerId, loanId },
      { kind: 'due_day', forDate: '2026-12-10', amountFen: 123_456n },
    );
    const dispatched = await call('supervisor', 'POST', '/reminders/dispatch', {
      now: '2026-12-10T09:00:00+08:00',
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const mails = await smtp.received();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.envelopeTo).toEqual([ADDRESS]);
    expect(mails[0]?.mail.text).toContain('1234.56');

    const changed = await call('supervisor', 'PUT', url, {
      email: 'xm.wang@example.org',
      reason: '客户书面申请变更邮箱',
    });
    expect(changed.json()).toMatchObject({ email: 'x***@example.org' });
    const removed = await call(
      'agent',
      'DELETE',
      `${url}?reason=${encodeURIComponent('客户要求停止邮件通知')}`,
    );
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ email: null, email_enabled: false });
    expect((await call('agent', 'DELETE', url)).statusCode).toBe(400);

    const updates = await auditOf('customer.email_update');
    expect(updates.map((r) => [r.actor, JSON.parse(r.details)])).toEqual([
      [
        'agent',
        {
          reason: '客户来电要求以邮件接收还款提醒',
          from: null,
          to: 'w***@example.com',
        },
      ],
      [
        'supervisor',
        {
          reason: '客户书面申请变更邮箱',
          from: 'w***@example.com',
          to: 'x***@example.org',
        },
      ],
    ]);
    const removals = await auditOf('customer.email_remove');
    expect(JSON.parse(removals[0]?.details ?? '{}')).toEqual({
      reason: '客户要求停止邮件通知',
      from: 'x***@example.org',
      to: null,
    });
    const everything = await s.database.db
      .selectFrom('audit_log')
      .select('details')
      .execute();
    for (const entry of everything) {
      expect(entry.details).not.toContain(ADDRESS);
      expect(entry.details).not.toContain('xm.wang');
    }

    // Without an address, the next reminder sends no e-mail.
    await insertReminder(
      { database: s.database, customerId, loanId },
      { kind: 'due_day', forDate: '2026-12-11', amountFen: 123_456n },
    );
    await call('supervisor', 'POST', '/reminders/dispatch', {
      now: '2026-12-11T09:00:00+08:00',
    });
    expect(await smtp.received()).toHaveLength(1);
  }, 120_000);
});
