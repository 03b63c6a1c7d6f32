// Composition of the storage side: the migrated database and its
// repositories (adapters/db/storage.ts) plus the session signer, keyed from
// the same instance secret through its own derived key.
import { randomBytes } from 'node:crypto';
import { loadCatalogue } from '../adapters/catalogue/load-catalogue.js';
import {
  type ChannelRuntime,
  createChannelRuntime,
} from '../adapters/channels/channel-runtime.js';
import { todayInChina } from '../adapters/clock/today.js';
import { loadSecretKey } from '../adapters/crypto/secret-key.js';
import type { SqliteCommitSync } from '../adapters/db/kysely-database.js';
import { openStorage, type Storage } from '../adapters/db/storage.js';
import { hashPassword } from '../adapters/security/passwords.js';
import {
  createTokenSigner,
  type TokenSigner,
} from '../adapters/security/session-token.js';
import { type DemoBook, generateDemoBook } from '../app/demo/demo-book.js';
import { type SeedSummary, seedDemoBook } from '../app/demo/seed-demo-book.js';
import { seedDemoComplaints } from '../app/demo/seed-demo-complaints.js';
import { ROLE_NAME_ZH } from '../domain/security/permissions.js';
import type { CalendarDate } from '../domain/shared/calendar-date.js';

export type Store = {
  readonly handle: Storage;
  readonly repositories: Storage['repositories'];
  readonly repositoriesOver: Storage['repositoriesOver'];
  readonly signer: TokenSigner;
  readonly channels: ChannelRuntime;
  close(): Promise<void>;
};

export async function openStore(
  env: NodeJS.ProcessEnv = process.env,
  options: { readonly commitSync?: SqliteCommitSync } = {},
): Promise<Store> {
  const storage = await openStorage({ env, ...options });
  return {
    handle: storage,
    repositories: storage.repositories,
    repositoriesOver: storage.repositoriesOver,
    signer: createTokenSigner(loadSecretKey(env).key),
    channels: createChannelRuntime({
      db: storage.db,
      cipher: storage.cipher,
      env,
    }),
    close: storage.close,
  };
}

// Bound: customers indexed per transaction (short write locks on SQLite).
const ID_TAIL_BATCH = 500;

/** Indexes every customer without an ID-tail blind index, batch by batch. */
export async function indexIdTails(
  store: Pick<Store, 'repositories'>,
): Promise<{ indexed: number; failed: number }> {
  let indexed = 0;
  let failed = 0;
  let after: string | undefined;
  do {
    const batch = await store.repositories.customers.indexIdTails(
      ID_TAIL_BATCH,
      after,
    );
    indexed += batch.indexed;
    failed += batch.failed;
    after = batch.lastId;
  } while (after !== undefined);
  return { indexed, failed };
}

export async function isStoreEmpty(store: Store): Promise<boolean> {
  const row = await store.handle.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return BigInt(row.n) === 0n;
}

// The demo book is the same on every machine: seeded from this number.
const DEMO_SEED = 20_261_123;

/** The demo book `seedDemo` writes on `today` (benchmarks read its people). */
export function demoBook(today: CalendarDate): DemoBook {
  return generateDemoBook({
    seed: DEMO_SEED,
    today,
    catalogue: loadCatalogue(),
    customers: 200,
    loans: 500,
  });
}

/** Seeds the demo book (200 customers, 500 loans, one user per role and a second agent, in teams). */
export async function seedDemo(store: Store): Promise<SeedSummary> {
  const catalogue = loadCatalogue();
  const book = demoBook(todayInChina());
  // One transaction: a crash leaves an empty database (seeded again on the
  // next start), never half a book; and SQLite commits once, not per row.
  return store.handle.db.transaction().execute(async (tx) => {
    const repositories = store.repositoriesOver(tx);
    const summary = await seedDemoBook(
      {
        repositories,
        hashPassword,
        newPassword: () => randomBytes(9).toString('base64url'),
      },
      book,
      catalogue,
    );
    // Complaint tickets across states and deadlines (src/app/demo).
    const customers = await tx
      .selectFrom('customers')
      .select('id')
      .orderBy('created_at')
      .orderBy('id')
      .limit(8)
      .execute();
    await seedDemoComplaints(repositories, {
      today: book.today,
      policy: store.channels.complaintPolicy,
      customerIds: customers.map((c) => c.id),
      assigneeId: (await repositories.users.findByUsername('agent'))?.id,
    });
    return summary;
  });
}

/**
 * Seeds the demo book when the database has no users yet, and prints the demo
 * accounts with their passwords — once, to the operator's terminal only;
 * never logged. Returns false when the database already had data.
 */
export async function seedDemoIfEmpty(
  store: Store,
  out: NodeJS.WritableStream,
): Promise<boolean> {
  if (!(await isStoreEmpty(store))) return false;
  out.write('正在生成演示数据（5个产品、200位客户、500笔贷款）…\n');
  const summary = await seedDemo(store);
  out.write(
    `演示数据已生成：${summary.customers} 位客户，${summary.loans} 笔贷款，${summary.payments} 笔还款，${summary.conversations} 个客服会话。\n演示账号（密码只显示这一次）：\n`,
  );
  for (const user of summary.users)
    out.write(
      `  ${ROLE_NAME_ZH[user.role]}\t${user.username}\t${user.password}\n`,
    );
  return true;
}
