import type { Kysely } from 'kysely';
import { createFieldCipher, type FieldCipher } from '../crypto/field-cipher.js';
import { loadSecretKey, type SecretKeySource } from '../crypto/secret-key.js';
import {
  type DatabaseHandle,
  type DialectName,
  openDatabase,
  type SqliteCommitSync,
} from './kysely-database.js';
import { migrateToLatestOrThrow } from './migrator.js';
import { createRepositories, type Repositories } from './repositories/index.js';
import {
  type RepositoryDeps,
  SYSTEM_DEPS,
} from './repositories/repository-context.js';
import type { Database } from './schema.js';

// One call for the composition root (server, CLI, demo): open DATABASE_URL,
// migrate it, load the secret key, and hand back every repository. Close it
// with `close()` (SIGTERM handlers included).

export type Storage = DatabaseHandle & {
  readonly repositories: Repositories;
  /** The repositories over `db` (a transaction), so they write in it. */
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  readonly deps: RepositoryDeps;
  readonly keySource: SecretKeySource;
  /** The field cipher (channel providers encrypt addresses with it). */
  readonly cipher: FieldCipher;
  readonly close: () => Promise<void>;
};

export type OpenStorageOptions = {
  readonly env?: NodeJS.ProcessEnv;
  /** Override the clock and ids (tests, the deterministic demo seed). */
  readonly deps?: RepositoryDeps;
  /** SQLite only: how commits are made durable (default `full`). */
  readonly commitSync?: SqliteCommitSync;
};

export async function openStorage(
  options: OpenStorageOptions = {},
): Promise<Storage> {
  const env = options.env ?? process.env;
  const deps = options.deps ?? SYSTEM_DEPS;
  const { key, source } = loadSecretKey(env);
  const handle = openDatabase(
    env.DATABASE_URL,
    options.commitSync === undefined ? {} : { commitSync: options.commitSync },
    env,
  );
  try {
    await migrateToLatestOrThrow(handle.db);
  } catch (error) {
    await handle.db.destroy();
    throw error;
  }
  const cipher = createFieldCipher(key);
  return {
    ...handle,
    deps,
    keySource: source,
    cipher,
    repositories: createRepositories(handle.db, deps, cipher),
    repositoriesOver: (db) => createRepositories(db, deps, cipher),
    close: () => handle.db.destroy(),
  };
}

export type { DialectName };
