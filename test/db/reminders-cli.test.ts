// Proves `loandesk reminders dispatch` and `loandesk complaints escalate`
// end to end on every dialect, spawned as an operator would run them with
// DATABASE_URL: reminders at 07:30 are deferred and at 09:00 sent once
// (rerun: nothing new); the e-mail goes through nodemailer to a REAL SMTP
// server in another process (smtp-server), is parsed with mailparser and
// carries the masked name and the right amount; an e-mail whose send was
// interrupted (left in `sending`) is marked uncertain and never resent,
// because SMTP cannot deduplicate; reminders written by a real `loandesk
// eod` are dispatched, the day-old ones dropped as stale.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { insertReminder } from '../helpers/channels.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-process.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from './dialects.js';
import { seedLoan, WANG } from './fixtures.js';

const CLI_TEST_TIMEOUT_MS = 180_000;

type CliRun = { code: number; stdout: string; stderr: string };

function loandesk(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/loandesk.js', ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function dispatchAt(
  now: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, number | string>> {
  const run = await loandesk(['reminders', 'dispatch', '--now', now], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, number | string>;
}

for (const dialect of DIALECTS) {
  describe(`loandesk reminders and complaints commands on ${dialect}`, {
    timeout: CLI_TEST_TIMEOUT_MS,
  }, () => {
    let t: TestDatabase;
    let smtp: SmtpSink;
    let env: NodeJS.ProcessEnv;
    let world: { database: TestDatabase; customerId: string; loanId: string };

    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      smtp = await startSmtpSink();
      const repositories = createRepositories(t.db, SYSTEM_DEPS, testCipher());
      const { customerId, loan } = await seedLoan(
        repositories,
        'L202612009',
        WANG,
      );
      await repositories.channels.saveSettings(customerId, {
        email: 'wang.xiaoming@example.com',
        smsEnabled: true,
        emailEnabled: true,
        appEnabled: true,
      });
      world = { database: t, customerId, loanId: loan.id };
      env = {
        DATABASE_URL: t.url,
        LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
        LOANDESK_SMTP_URL: smtp.url,
        LOANDESK_MAIL_FROM: 'LoanDesk 演示银行 <noreply@bank.example>',
        LOANDESK_SMS_GATEWAY_URL: '',
      };
    }, CLI_TEST_TIMEOUT_MS);

    afterAll(async () => {
      await smtp?.stop();
      await t?.destroy();
    });

    it('defers at 07:30, then delivers SMS, in-app and an e-mail with the masked name and amount once', async () => {
      await insertReminder(world, {
        kind: 'overdue_m1',
        forDate: '2026-12-10',
        dueDate: '2026-12-05',
        amountFen: 432_109n,
        daysPastDue: 5,
        installmentN: 11,
      });
      const early = await dispatchAt('2026-12-10T07:30:00+08:00', env);
      expect(early).toMatchObject({ reminders: 1, deferred: 3, sent: 0 });
      expect(await smtp.received()).toHaveLength(0);

      const onTime = await dispatchAt('2026-12-10T09:00:00+08:00', env);
      expect(onTime).toMatchObject({ queued: 3, sent: 3, failed: 0 });
      const mails = await smtp.received();
      expect(mails).toHaveLength(1);
      const [received] = mails;
      expect(received?.envelopeTo).toEqual(['wang.xiaoming@example.com']);
      const mail = received?.mail;
      expect(mail?.subject).toBe('【LoanDesk 演示银行】贷款逾期提醒');
      expect(mail?.from?.text).toContain('noreply@bank.example');
      expect(mail?.text).toContain('尊敬的王*明');
      expect(mail?.text).toContain('人民币4321.09元');
      expect(mail?.text).toContain('已逾期5天');
      expect(mail?.text).toContain('2026年12月5日');
      expect(mail?.text).toContain('本行手机银行App');
      expect(mail?.text).not.toContain('王小明');
      expect(mail?.messageId).toMatch(/^<omsg_[0-9a-f]+@loandesk\.local>$/);

      const rerun = await dispatchAt('2026-12-10T09:00:00+08:00', env);
      expect(rerun).toMatchObject({ reminders: 0, queued: 0, sent: 0 });
      expect(await smtp.received()).toHaveLength(1);
      const sms = await t.db.selectFrom('sms_outbox').selectAll().execute();
      expect(sms).toHaveLength(1);
    });

    it('marks an e-mail interrupted mid-send as uncertain and never resends it', async () => {
      await insertReminder(world, {
        kind: 'due_day',
        forDate: '2026-12-15',
        amountFen: 100_000n,
      });
      // Plan and queue without delivering: SMTP down for this run.
      const down = await dispatchAt('2026-12-15T09:00:00+08:00', {
        ...env,
        LOANDESK_SMTP_URL: 'smtp://127.0.0.1:9',
      });
      expect(down).toMatchObject({ retrying: 1 });
      // A later run claims it and dies before recording the outcome: the
      // row is left in `sending` (simulated by its state after a SIGKILL).
      await t.db
        .updateTable('outbound_messages')
        .set({
          status: 'sending',
          claimed_at: '2026-12-15T01:05:00.000Z',
        })
        .where('channel', '=', 'email')
        .where('status', '=', 'retrying')
        .execute();
      const before = (await smtp.received()).length;
      const after = await dispatchAt('2026-12-15T09:30:00+08:00', env);
      expect(after).toMatchObject({ uncertain: 1, sent: 0 });
      expect(await smtp.received()).toHaveLength(before);
      const row = await t.db
        .selectFrom('outbound_messages')
        .select(['status', 'status_reason'])
        .where('channel', '=', 'email')
        .where('status', '=', 'uncertain')
        .executeTakeFirstOrThrow();
      expect(row.status_reason).toContain('人工核实');
      const again = await dispatchAt('2026-12-15T10:30:00+08:00', env);
      expect(again).toMatchObject({ uncertain: 0, sent: 0 });
      expect(await smtp.received()).toHaveLength(before);
    });

    it('sends the reminders a real end-of-day batch wrote, and drops the day-old ones', async () => {
      const own = await openTestDatabase(dialect);
      try {
        const repositories = createRepositories(
          own.db,
          SYSTEM_DEPS,
          testCipher(),
        );
        await seedLoan(repositories, 'L202602001', WANG);
        const ownEnv = { ...env, DATABASE_URL: own.url, LOANDESK_SMTP_URL: '' };
        // First installment due 2026-02-10: T-1 on the 9th, due day on the
        // 10th, overdue on the 11th; the dispatcher runs late, on the 11th.
        for (const date of ['2026-02-09', '2026-02-10', '2026-02-11']) {
          const eod = await loandesk(['eod', '--date', date], ownEnv);
          expect(eod.code, eod.stderr).toBe(0);
        }
        const summary = await dispatchAt('2026-02-11T10:00:00+08:00', ownEnv);
        expect(summary).toMatchObject({ reminders: 3, sent: 2, suppressed: 4 });
        const sent = await own.db
          .selectFrom('outbound_messages')
          .select(['channel', 'body', 'template_id'])
          .where('status', '=', 'sent')
          .orderBy('channel')
          .execute();
        expect(sent.map((m) => m.template_id)).toEqual([
          'overdue_m1.app',
          'overdue_m1.sms',
        ]);
        expect(sent[1]?.body).toContain('已逾期1天');
        expect(sent[1]?.body).toContain('王*明');
        const stale = await own.db
          .selectFrom('outbound_messages')
          .select('status_rule')
          .where('status', '=', 'suppressed')
          .execute();
        expect(stale.map((m) => m.status_rule)).toEqual([
          'stale',
          'stale',
          'stale',
          'stale',
        ]);
      } finally {
        await own.destroy();
      }
    });

    it('escalates open complaints once per level from the command line', async () => {
      const repositories = createRepositories(t.db, SYSTEM_DEPS, testCipher());
      await repositories.complaints.openTicket({
        ticketNo: 'TS20261120-CLI001',
        customerId: world.customerId,
        ticketType: 'complaint',
        summary: '客户来电投诉催收时间过早。',
        dueAt: '2026-12-05T16:00:00.000Z',
        source: 'phone',
        category: 'collection_conduct',
        complexity: 'simple',
      });
      const run = await loandesk(
        ['complaints', 'escalate', '--now', '2026-12-04T09:00:00+08:00'],
        env,
      );
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        checked: 1,
        escalated: [{ ticketNo: 'TS20261120-CLI001', level: 2 }],
      });
      const rerun = await loandesk(
        ['complaints', 'escalate', '--now', '2026-12-04T09:00:00+08:00'],
        env,
      );
      expect(JSON.parse(rerun.stdout)).toMatchObject({ escalated: [] });
      const bad = await loandesk(
        ['reminders', 'dispatch', '--now', 'tomorrow'],
        env,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--now');
    });
  });
}
