// Proves `loandesk db migrate` and `loandesk audit verify` work end to end
// on every dialect: the CLI is spawned as a user would run it, with
// DATABASE_URL pointing at the test database, and judged by its output and
// exit code — including after an audit entry is edited through SQL.
import { execFile } from 'node:child_process';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/adapters/db/repositories/audit-repository.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from './dialects.js';

// Each spawn compiles the CLI through tsx (a few seconds on a busy machine).
const CLI_TEST_TIMEOUT_MS = 120_000;

type CliRun = { code: number; stdout: string; stderr: string };

function loandesk(
  args: readonly string[],
  databaseUrl: string,
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/loandesk.js', ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

for (const dialect of DIALECTS) {
  describe(`loandesk db and audit commands on ${dialect}`, {
    timeout: CLI_TEST_TIMEOUT_MS,
  }, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await openTestDatabase(dialect, { migrate: false });
    });
    afterEach(async () => {
      await t.destroy();
    });

    it('applies the migrations once and then reports the database up to date', async () => {
      const first = await loandesk(['db', 'migrate'], t.url);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain('applied 2026-11-23_1_initial-schema');
      const second = await loandesk(['db', 'migrate'], t.url);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('already up to date');
      expect(second.stdout).not.toContain('applied');
    });

    it('verifies an intact chain, then names the entry edited through SQL', async () => {
      expect((await loandesk(['db', 'migrate'], t.url)).code).toBe(0);
      for (const subjectId of ['loan_1', 'loan_2', 'loan_3']) {
        await appendAudit(
          t.db,
          {
            actor: 'user_1',
            action: 'loan.settle',
            subjectType: 'loan',
            subjectId,
            details: { reason: '结清' },
          },
          '2026-11-20T09:00:00.000Z',
        );
      }
      const intact = await loandesk(['audit', 'verify'], t.url);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toMatch(
        /^audit log intact: 3 entries, head [0-9a-f]{64}\n$/,
      );

      await sql`update audit_log set details = ${'{"reason":"篡改"}'} where seq = 2`.execute(
        t.db,
      );
      const broken = await loandesk(['audit', 'verify'], t.url);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('BROKEN at entry 2 (hash_mismatch)');
      const json = await loandesk(['audit', 'verify', '--json'], t.url);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({
        intact: false,
        entries: 1,
        brokenSeq: 2,
        reason: 'hash_mismatch',
      });
    });

    it('exits 2 with one line when there is no audit log to read', async () => {
      const run = await loandesk(['audit', 'verify'], t.url);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^loandesk: cannot read the audit log of .+\n$/,
      );
    });
  });
}
