// A store-backed app for HTTP suites: a fresh database of the dialect, one
// user per requested role, the app built over it, and a bearer token per
// role from the real login route.
import type { FastifyInstance } from 'fastify';
import type { DialectName } from '../../src/adapters/db/kysely-database.js';
import {
  createRepositories,
  type Repositories,
} from '../../src/adapters/db/repositories/index.js';
import { SYSTEM_DEPS } from '../../src/adapters/db/repositories/repository-context.js';
import { type AppStore, buildApp } from '../../src/adapters/http/build-app.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { createTokenSigner } from '../../src/adapters/security/session-token.js';
import type { Role } from '../../src/domain/security/permissions.js';
import {
  openTestDatabase,
  TEST_SECRET_KEY,
  type TestDatabase,
  testCipher,
} from '../db/dialects.js';

const PASSWORD = 'correct horse battery';

export type StoreApp = {
  readonly database: TestDatabase;
  readonly repos: Repositories;
  readonly app: FastifyInstance;
  /** `authorization` header of the role's user (empty token if none). */
  as(role: Role | 'nobody'): { authorization: string };
  close(): Promise<void>;
};

/** Store parts a suite adds (the channel runtime and its clock). */
export type StoreExtras = Pick<AppStore, 'channels' | 'now'>;

export async function openStoreApp(
  dialect: DialectName,
  roles: readonly Role[],
  extras?: (database: TestDatabase) => StoreExtras,
): Promise<StoreApp> {
  const database = await openTestDatabase(dialect);
  const cipher = testCipher();
  const repos = createRepositories(database.db, SYSTEM_DEPS, cipher);
  const passwordHash = await hashPassword(PASSWORD);
  for (const role of roles)
    await repos.users.create(
      { username: role, displayName: role, passwordHash, roles: [role] },
      'test',
    );
  const app = await buildApp({
    store: {
      handle: { db: database.db, dialect, location: 'test' },
      repositories: repos,
      repositoriesOver: (db) => createRepositories(db, SYSTEM_DEPS, cipher),
      signer: createTokenSigner(TEST_SECRET_KEY),
      ...extras?.(database),
    },
    webRoot: '/nonexistent',
  });
  const tokens = new Map<string, string>();
  for (const role of roles) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: role, password: PASSWORD },
    });
    tokens.set(role, (response.json() as { token: string }).token);
  }
  return {
    database,
    repos,
    app,
    as: (role) => ({ authorization: `Bearer ${tokens.get(role) ?? ''}` }),
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}
