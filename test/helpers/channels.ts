// Shared setup of the channel and complaint suites: the store-backed app of
// test/http/store-app.ts with the channel runtime (providers chosen by the
// test) and a pinned clock, a borrower (王小明) with a loan, and a way to
// insert the reminders the end-of-day batch would.
import type { FastifyInstance } from 'fastify';
import {
  type ChannelRuntime,
  createChannelRuntime,
} from '../../src/adapters/channels/channel-runtime.js';
import type { ChannelProviders } from '../../src/adapters/channels/providers.js';
import type { DialectName } from '../../src/adapters/db/kysely-database.js';
import type { Repositories } from '../../src/adapters/db/repositories/index.js';
import type { Role } from '../../src/domain/security/permissions.js';
import { type TestDatabase, testCipher } from '../db/dialects.js';
import { seedLoan, WANG } from '../db/fixtures.js';
import { openStoreApp } from '../http/store-app.js';

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
  let now = '2026-12-10T09:00:00+08:00';
  let runtime: ChannelRuntime | undefined;
  const store = await openStoreApp(dialect, {}, (database) => {
    runtime = createChannelRuntime({
      db: database.db,
      cipher: testCipher(),
      env: {},
      ...(options.providers === undefined
        ? {}
        : { providers: options.providers(database) }),
      ...(options.templatesFile === undefined
        ? {}
        : { templatesFile: options.templatesFile }),
    });
    return { channels: runtime, now: () => now };
  });
  if (runtime === undefined) throw new Error('no channel runtime');
  const { customerId, loan } = await seedLoan(store.repos, 'L202612001', WANG);
  return {
    database: store.database,
    repositories: store.repos,
    runtime,
    app: store.app,
    customerId,
    loanId: loan.id,
    userIds: store.userIds,
    setNow: (iso) => {
      now = iso;
    },
    headers: (role) => store.as(role),
    close: () => store.close(),
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
