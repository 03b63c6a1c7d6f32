// Composition root of the server: opens the store (migrated), seeds the
// demo book when asked and the database is empty, builds the app, listens,
// and stops gracefully on SIGTERM / SIGINT (in-flight requests finish, then
// the database closes).
import { loadConversationParts } from '../adapters/chat/default-parts.js';
import { jobHandlers, jobQueueUrl } from '../adapters/cli/commands/jobs.js';
import { commitSyncFromEnv } from '../adapters/db/kysely-database.js';
import { buildApp } from '../adapters/http/build-app.js';
import {
  jobQueueConfigFromEnv,
  startJobQueue,
} from '../adapters/jobs/job-queue.js';
import { indexIdTails, openStore, seedDemoIfEmpty } from './store.js';

export type ServerOptions = {
  readonly port: number;
  readonly host: string;
  readonly demo: boolean;
};

export async function startServer(options: ServerOptions): Promise<void> {
  const limits = limitsFromEnv(process.env);
  // LOANDESK_SQLITE_COMMIT_SYNC=background: the server's SQLite commits
  // are fsynced off the event loop (the CLI keeps the default, full).
  const store = await openStore(process.env, {
    commitSync: commitSyncFromEnv(process.env),
  });
  if (options.demo) await seedDemoIfEmpty(store, process.stdout);
  const app = await buildApp({
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    store,
    secureCookies: process.env.LOANDESK_SECURE_COOKIES === 'true',
    // The chat's engines before the first borrower arrives, not during
    // their first message.
    conversation: loadConversationParts(),
    ...limits,
  });
  // PostgreSQL: the daily batch and reminder dispatch through the job queue
  // (each job once across instances); LOANDESK_JOBS=off leaves it to a
  // dedicated `loandesk jobs work` process or to cron.
  const jobs = await startJobs(process.env);
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await jobs?.stop();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: options.port, host: options.host });
  // Customers written before the ID-tail index existed get theirs in the
  // background (borrower verification by name + ID tail needs it).
  indexIdTails(store).then(
    (done) => {
      if (done.indexed > 0 || done.failed > 0)
        app.log.info(done, 'customer ID-tail index written');
    },
    (error: unknown) =>
      app.log.error(
        { err: { message: (error as Error).message } },
        'customer ID-tail index failed',
      ),
  );
  process.stdout.write(
    `LoanDesk 已启动：http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}/ （数据库：${store.handle.location}）\n`,
  );
}

async function startJobs(env: NodeJS.ProcessEnv) {
  const url = jobQueueUrl(env);
  if (url === undefined || env.LOANDESK_JOBS === 'off') return undefined;
  return startJobQueue(jobQueueConfigFromEnv(env, url), jobHandlers());
}

// Bound: a limit above this is a typo, not a policy.
const PER_MINUTE_MAX = 10_000_000;

function perMinute(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1 || value > PER_MINUTE_MAX)
    throw new Error(`${name}: a whole number from 1 to ${PER_MINUTE_MAX}`);
  return value;
}

/**
 * Rate limits from the environment (the defaults are safe for a public
 * borrower endpoint; a load test raises them):
 * LOANDESK_RATE_LIMIT_PER_MINUTE, LOANDESK_CHAT_SESSIONS_PER_MINUTE.
 */
export function limitsFromEnv(env: NodeJS.ProcessEnv): {
  rateLimitPerMinute?: number;
  chatSessionsPerMinute?: number;
} {
  const rate = perMinute(env, 'LOANDESK_RATE_LIMIT_PER_MINUTE');
  const sessions = perMinute(env, 'LOANDESK_CHAT_SESSIONS_PER_MINUTE');
  return {
    ...(rate === undefined ? {} : { rateLimitPerMinute: rate }),
    ...(sessions === undefined ? {} : { chatSessionsPerMinute: sessions }),
  };
}
