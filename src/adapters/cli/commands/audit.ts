import type { Command } from 'commander';
import { openDatabaseFromEnv } from '../../db/kysely-database.js';
import {
  type AuditVerification,
  verifyAuditChain,
} from '../../db/repositories/audit-repository.js';

// `loandesk audit verify`: walks the hash-chained audit log of the database
// named by DATABASE_URL and says whether it is intact. Exit 0 when intact,
// 1 when an entry is broken (the first one is printed), 2 when the log
// cannot be read at all, so a cron job or a CI step can alarm on it. `--json` prints one JSON object instead.
// The head hash is printed so operators can keep a copy elsewhere: a chain
// rewritten from the first edit onwards is caught only against that copy.

type VerifyOptions = { readonly json?: boolean };

async function verify(options: VerifyOptions): Promise<void> {
  const handle = openDatabaseFromEnv();
  try {
    // Verifying never writes: an unmigrated database is an error here.
    let verdict: AuditVerification;
    try {
      verdict = await verifyAuditChain(handle.db);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(
        `loandesk: cannot read the audit log of ${handle.location}: ${message}\n`,
      );
      process.exitCode = 2;
      return;
    }
    if (options.json === true) {
      process.stdout.write(`${JSON.stringify(verdict)}\n`);
    } else if (verdict.intact) {
      process.stdout.write(
        `audit log intact: ${verdict.entries} entries, head ${verdict.headHash}\n`,
      );
    } else {
      process.stdout.write(
        `audit log BROKEN at entry ${verdict.brokenSeq} (${verdict.reason}); ` +
          `${verdict.entries} entries before it verified\n`,
      );
    }
    if (!verdict.intact) process.exitCode = 1;
  } finally {
    await handle.db.destroy();
  }
}

export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('审计日志 — audit log tools');
  audit
    .command('verify')
    .description('verify the audit log hash chain (exit 1 when broken)')
    .option('--json', 'print the verdict as one JSON object')
    .action(async (options: VerifyOptions) => {
      await verify(options);
    });
}
