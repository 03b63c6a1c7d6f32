import type { FastifyInstance } from 'fastify';
import type { DialectName } from '../../src/adapters/db/kysely-database.js';
import {
  createRepositories,
  type Repositories,
} from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import {
  type AppOptions,
  type AppStore,
  buildApp,
} from '../../src/adapters/http/build-app.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { createTokenSigner } from '../../src/adapters/security/session-token.js';
import { ROLES, type Role } from '../../src/domain/security/permissions.js';
import {
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from '../db/dialects.js';

// A store-backed app for route tests: a fresh database on `dialect`, one
// user per role (username = role) logged in, and helpers for requests.

export const TEST_PASSWORD = 'correct horse battery';

export type StoreApp = {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  readonly repos: Repositories;
  readonly userIds: ReadonlyMap<Role, string>;
  /** Bearer header of the role's logged-in user ('nobody': an empty token). */
  as(role: Role | 'nobody'): { authorization: string };
  login(username: string): Promise<string>;
  close(): Promise<void>;
};

/** Store parts a suite adds over its database (the channel runtime, a clock). */
export type StoreExtras = Pick<AppStore, 'channels' | 'now'>;

/**
 * `options`: more app options (the chat's engines, stream delay …);
 * `extras`: store parts built over the fresh database.
 */
export async function openStoreApp(
  dialect: DialectName,
  options: Omit<AppOptions, 'store'> = {},
  extras?: (database: TestDatabase) => StoreExtras,
): Promise<StoreApp> {
  const database = await openTestDatabase(dialect);
  const cipher = testCipher();
  const repos = createRepositories(database.db, SYSTEM_DEPS, cipher);
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const userIds = new Map<Role, string>();
  for (const role of ROLES) {
    const user = await repos.users.create(
      { username: role, displayName: role, passwordHash, roles: [role] },
      'test',
    );
    if (!user.ok) throw new Error(user.error.code);
    userIds.set(role, user.value.id);
  }
  const app = await buildApp({
    store: {
      handle: { db: database.db, dialect, location: 'test' },
      repositories: repos,
      repositoriesOver: (db) => createRepositories(db, SYSTEM_DEPS, cipher),
      signer: createTokenSigner(TEST_SECRET_KEY),
      ...extras?.(database),
    },
    webRoot: '/nonexistent',
    rateLimitPerMinute: 100_000,
    ...options,
  });
  const login = async (username: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    if (response.statusCode !== 200)
      throw new Error(`login ${username}: ${response.statusCode}`);
    return (response.json() as { token: string }).token;
  };
  const tokens = new Map<Role | 'nobody', string>();
  for (const role of ROLES) tokens.set(role, await login(role));
  return {
    app,
    database,
    repos,
    userIds,
    as: (role) => ({ authorization: `Bearer ${tokens.get(role) ?? ''}` }),
    login,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}

/** The error body every 4xx carries. */
export type ErrorJson = {
  error: { code: string; message: string; field?: string };
};

/** A fen amount as the wire's yuan string. */
export function yuan(amountFen: bigint): string {
  return `${amountFen / 100n}.${String(amountFen % 100n).padStart(2, '0')}`;
}
