// Proves that `loandesk eod` escalates complaints whose decision deadline
// nears (spec/regulations.md CP-01/CP-04; thresholds of
// content/compliance/complaint-policy.yaml: 5, 2 and 0 days left), as of the
// close of the business day, on every dialect: the summary JSON counts the
// escalations, each one is audited by `system:eod`, a resolved ticket is
// never touched, a rerun of the same date escalates nothing, and a later
// date raises the ticket whose deadline came nearer.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import {
  DIALECTS,
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from './dialects.js';
import { seedLoan, WANG } from './fixtures.js';

const TIMEOUT_MS = 180_000;

function eod(
  date: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['bin/loandesk.js', 'eod', '--date', date],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Record<string, unknown>);
      },
    );
  });
}

/** The end of a local (UTC+8) day, as stored: `2026-03-24` → 16:00Z. */
function endOfLocalDay(date: string): string {
  return `${date}T16:00:00.000Z`;
}

for (const dialect of DIALECTS) {
  describe(`loandesk eod escalates complaints on ${dialect}`, {
    timeout: TIMEOUT_MS,
  }, () => {
    let t: TestDatabase;
    let env: NodeJS.ProcessEnv;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await openTestDatabase(dialect);
      const r = createRepositories(t.db, SYSTEM_DEPS, testCipher());
      const { customerId } = await seedLoan(r, 'L202601101', WANG);
      const tickets = {
        far: '2026-04-10',
        fourDaysLeft: '2026-03-24',
        oneDayLeft: '2026-03-21',
        overdue: '2026-03-19',
        resolved: '2026-03-21',
      };
      for (const [name, due] of Object.entries(tickets)) {
        const ticket = await r.complaints.openTicket({
          ticketNo: `TS20260301-${name.toUpperCase().slice(0, 6)}`,
          customerId,
          ticketType: 'complaint',
          summary: '客户投诉扣款时间与合同约定不一致。',
          dueAt: endOfLocalDay(due),
          source: 'phone',
          category: 'collection_conduct',
          complexity: 'simple',
        });
        ids[name] = ticket.id;
      }
      await r.complaints.resolve(
        ids.resolved as string,
        '已核实并退还多扣款项。',
        'user_supervisor',
      );
      env = {
        DATABASE_URL: t.url,
        LOANDESK_SECRET_KEY: TEST_SECRET_KEY.toString('hex'),
        LOANDESK_SMS_GATEWAY_URL: '',
        LOANDESK_SMTP_URL: '',
      };
    }, TIMEOUT_MS);

    afterAll(async () => {
      await t?.destroy();
    });

    async function levels(): Promise<Record<string, number>> {
      const rows = await t.db
        .selectFrom('complaint_tickets')
        .select(['id', 'escalation_level'])
        .execute();
      const byId = new Map(
        rows.map((row) => [row.id, Number(row.escalation_level ?? 0)]),
      );
      return Object.fromEntries(
        Object.entries(ids).map(([name, id]) => [name, byId.get(id) ?? -1]),
      );
    }

    it('escalates as of the close of the business day, once per date, audited', async () => {
      const first = await eod('2026-03-20', env);
      expect(first).toMatchObject({
        ok: true,
        business_date: '2026-03-20',
        complaints_checked: 4,
        complaints_escalated: 3,
      });
      // Close of 2026-03-20 (UTC+8): 4 days left → level 1, 1 day → 2,
      // past the deadline → 3; 20 days left → nothing; resolved → untouched.
      expect(await levels()).toEqual({
        far: 0,
        fourDaysLeft: 1,
        oneDayLeft: 2,
        overdue: 3,
        resolved: 0,
      });
      const audit = await t.db
        .selectFrom('audit_log')
        .select(['actor', 'subject_id', 'details'])
        .where('action', '=', 'complaint.escalate')
        .orderBy('seq')
        .execute();
      expect(audit.map((row) => row.actor)).toEqual([
        'system:eod',
        'system:eod',
        'system:eod',
      ]);
      expect(audit.map((row) => row.subject_id).sort()).toEqual(
        [ids.fourDaysLeft, ids.oneDayLeft, ids.overdue].sort(),
      );

      const rerun = await eod('2026-03-20', env);
      expect(rerun).toMatchObject({
        already_completed: true,
        complaints_escalated: 0,
      });
      expect(await levels()).toMatchObject({ fourDaysLeft: 1 });

      // Three days later the 4-days-left ticket has 1 day left (level 2) and
      // the 1-day-left one is past its deadline (level 3).
      const later = await eod('2026-03-23', env);
      expect(later).toMatchObject({
        ok: true,
        complaints_checked: 4,
        complaints_escalated: 2,
      });
      expect(await levels()).toEqual({
        far: 0,
        fourDaysLeft: 2,
        oneDayLeft: 3,
        overdue: 3,
        resolved: 0,
      });
    });
  });
}
