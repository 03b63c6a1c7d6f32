// Shared setup of the channel and complaint suites: a migrated test
// database with users per role, a borrower (王小明) with a loan, the HTTP app
// with the channel runtime (providers chosen by the test) and a pinned
// clock, plus a way to insert the reminders the end-of-day batch would.
import type { FastifyInstance } from 'fastify';
import {
  type ChannelRuntime,
  createChannelRuntime,
} from '../../src/adapters/channels/channel-runtime.js';
import type { ChannelProviders } from '../../src/adapters/channels/providers.js';
import type { DialectName } from '../../src/adapters/db/kysely-database.js';
import {
  createRepositories,
  type Repositories,
} from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { buildApp } from '../../src/adapters/http/build-app.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { createTokenSigner } from '../../src/adapters/security/session-token.js';
import type { Role } from '../../src/domain/security/permissions.js';
import {
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from '../db/dialects.js';
import { seedLoan, WANG } from '../db/fixtures.js';

export const PASSWORD = 'correct horse battery';

export type ChannelWorld = {
  readonly database: TestDatabase;
  readonly repositories: Repositories;
  readonly runtime: ChannelRuntime;
  readonly app: FastifyInstance;
  readonly customerId: string;
  readonly loanId: string;
  readonly userIds: ReadonlyMap<Role, string>;
  /** Sets the instant the routes see as now. */
  setNow(iso: string): void;
  headers(role: Role): { authorization: string };
  close(): Promise<void>;
};

export async function openChannelWorld(
  dialect: DialectName,
  options: {
    readonly providers?: (t: TestDatabase) => ChannelProviders;
    readonly templatesFile?: string;
  } = {},
): Promise<ChannelWorld> {
  const database = await openTestDatabase(dialect);
  const cipher = testCipher();
  const repositories = createRepositories(database.db, SYSTEM_DEPS, cipher);
  const { customerId, loan } = await seedLoan(repositories, 'L202612001', WANG);
  const userIds = new Map<Role, string>();
  const passwordHash = await hashPassword(PASSWORD);
  for (const role of ['agent', 'collector', 'supervisor'] as const) {
    const user = await repositories.users.create(
      { username: role, displayName: role, passwordHash, roles: [role] },
      'test',
    );
    if (!user.ok) throw new Error(user.error.code);
    userIds.set(role, user.value.id);
  }
  const runtime = createChannelRuntime({
    db: database.db,
    cipher,
    env: {},
    ...(options.providers === undefined
      ? {}
      : { providers: options.providers(database) }),
    ...(options.templatesFile === undefined
      ? {}
      : { templatesFile: options.templatesFile }),
  });
  let now = '2026-12-10T09:00:00+08:00';
  const app = await buildApp({
    store: {
      handle: { db: database.db, dialect, location: 'test' },
      repositories,
      repositoriesOver: (db) => createRepositories(db, SYSTEM_DEPS, cipher),
      signer: createTokenSigner(TEST_SECRET_KEY),
      channels: runtime,
      now: () => now,
    },
    webRoot: '/nonexistent',
  });
  const tokens = new Map<Role, string>();
  for (const role of userIds.keys()) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: role, password: PASSWORD },
    });
    tokens.set(role, (response.json() as { token: string }).token);
  }
  return {
    database,
    repositories,
    runtime,
    app,
    customerId,
    loanId: loan.id,
    userIds,
    setNow: (iso) => {
      now = iso;
    },
    headers: (role) => ({ authorization: `Bearer ${tokens.get(role) ?? ''}` }),
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}

let reminderSeq = 0;

/** Inserts a pending reminder as the end-of-day batch would. */
export async function insertReminder(
  world: Pick<ChannelWorld, 'database' | 'customerId' | 'loanId'>,
  fields: {
    readonly kind: string;
    readonly forDate: string;
    readonly amountFen: bigint;
    readonly daysPastDue?: number;
    readonly dueDate?: string;
    readonly installmentN?: number;
  },
): Promise<string> {
  reminderSeq += 1;
  const id = `rem_${String(reminderSeq).padStart(6, '0')}_${fields.kind}`;
  await world.database.db
    .insertInto('reminders')
    .values({
      id,
      loan_id: world.loanId,
      customer_id: world.customerId,
      kind: fields.kind,
      for_date: fields.forDate,
      installment_n: fields.installmentN ?? 11,
      due_date: fields.dueDate ?? fields.forDate,
      amount_fen: fields.amountFen,
      days_past_due: fields.daysPastDue ?? 0,
      bucket: (fields.daysPastDue ?? 0) > 0 ? 'M1' : 'M0',
      status: 'pending',
      status_reason: null,
      created_at: '2026-12-10T00:00:00.000Z',
      updated_at: '2026-12-10T00:00:00.000Z',
    })
    .execute();
  return id;
}
