import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The one secret LoanDesk keeps: 32 random bytes from which the field
// encryption key and the blind-index key are derived (see field-cipher.ts).
// It comes from LOANDESK_SECRET_KEY (64 hex characters, or base64 of 32
// bytes) or, when that is unset, from `<data dir>/secret.key`, created with
// mode 0600 on first run. Losing it makes every encrypted field unreadable,
// so docs/database.md tells operators to back it up apart from the database.

export const SECRET_KEY_BYTES = 32;
export const SECRET_KEY_FILE_NAME = 'secret.key';

export type SecretKeySource = 'env' | 'file' | 'generated';

export type LoadedSecretKey = {
  readonly key: Buffer;
  readonly source: SecretKeySource;
};

/** Parses 64 hex characters or base64 of exactly 32 bytes; else undefined. */
export function parseSecretKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === SECRET_KEY_BYTES) return bytes;
  }
  return undefined;
}

/** The data directory: LOANDESK_DATA_DIR, or ./data. */
export function dataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.LOANDESK_DATA_DIR;
  return configured !== undefined && configured !== '' ? configured : './data';
}

/**
 * Loads the secret key from the environment or the key file, generating the
 * file on first run. Throws (an operational error) on a malformed key: a
 * wrong key must stop the process, never silently encrypt under a new one.
 */
export function loadSecretKey(
  env: NodeJS.ProcessEnv = process.env,
): LoadedSecretKey {
  const fromEnv = env.LOANDESK_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = parseSecretKey(fromEnv);
    if (key === undefined) {
      throw new Error(
        'LOANDESK_SECRET_KEY must be 64 hex characters or base64 of 32 bytes',
      );
    }
    return { key, source: 'env' };
  }
  const directory = dataDirectory(env);
  const path = join(directory, SECRET_KEY_FILE_NAME);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    const key = parseSecretKey(text);
    if (key === undefined) throw new Error(`malformed key file ${path}`);
    return { key, source: 'file' };
  }
  mkdirSync(directory, { recursive: true });
  const key = randomBytes(SECRET_KEY_BYTES);
  try {
    // 'wx' fails if another process created the file meanwhile: never
    // overwrite a key, read the winner's instead.
    writeFileSync(path, `${key.toString('hex')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return loadSecretKey(env);
  }
  chmodSync(path, 0o600);
  return { key, source: 'generated' };
}
