// Composition root of the server: opens the store (migrated), seeds the
// demo book when asked and the database is empty, builds the app, listens,
// and stops gracefully on SIGTERM / SIGINT (in-flight requests finish, then
// the database closes).
import { loadConversationParts } from '../adapters/chat/default-parts.js';
import { buildApp } from '../adapters/http/build-app.js';
import { ROLE_NAME_ZH } from '../domain/security/permissions.js';
import { isStoreEmpty, openStore, seedDemo } from './store.js';

export type ServerOptions = {
  readonly port: number;
  readonly host: string;
  readonly demo: boolean;
};

export async function startServer(options: ServerOptions): Promise<void> {
  const limits = limitsFromEnv(process.env);
  const store = await openStore();
  if (options.demo && (await isStoreEmpty(store))) {
    process.stdout.write(
      '正在生成演示数据（5个产品、200位客户、500笔贷款）…\n',
    );
    const summary = await seedDemo(store);
    // Printed once, to the operator's terminal only; never logged.
    process.stdout.write(
      `演示数据已生成：${summary.customers} 位客户，${summary.loans} 笔贷款，${summary.payments} 笔还款，${summary.conversations} 个客服会话。\n演示账号（密码只显示这一次）：\n`,
    );
    for (const user of summary.users)
      process.stdout.write(
        `  ${ROLE_NAME_ZH[user.role]}\t${user.username}\t${user.password}\n`,
      );
  }
  const app = await buildApp({
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    store,
    secureCookies: process.env.LOANDESK_SECURE_COOKIES === 'true',
    // The chat's engines before the first borrower arrives, not during
    // their first message.
    conversation: loadConversationParts(),
    ...limits,
  });
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: options.port, host: options.host });
  process.stdout.write(
    `LoanDesk 已启动：http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}/ （数据库：${store.handle.location}）\n`,
  );
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
