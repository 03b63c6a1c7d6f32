// Proves where the secret key comes from: LOANDESK_SECRET_KEY when set (hex
// or base64), otherwise a key file in the data directory that is generated
// once with owner-only permissions and then reused; malformed keys stop the
// process rather than silently encrypting under a new key.
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretKey, parseSecretKey } from './secret-key.js';

describe('secret key loading', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'loandesk-key-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('generates a key file on first run and reuses it afterwards', () => {
    const env = { LOANDESK_DATA_DIR: join(directory, 'data') };
    const first = loadSecretKey(env);
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    const path = join(directory, 'data', 'secret.key');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.key.toString('hex'));
    const second = loadSecretKey(env);
    expect(second.source).toBe('file');
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('prefers LOANDESK_SECRET_KEY over the key file', () => {
    const hex = 'ab'.repeat(32);
    const loaded = loadSecretKey({
      LOANDESK_SECRET_KEY: hex,
      LOANDESK_DATA_DIR: directory,
    });
    expect(loaded).toEqual({ key: Buffer.from(hex, 'hex'), source: 'env' });
    expect(() => statSync(join(directory, 'secret.key'))).toThrow();
  });

  it('accepts base64 of 32 bytes', () => {
    const key = Buffer.alloc(32, 5);
    expect(parseSecretKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseSecretKey(Buffer.alloc(31).toString('base64'))).toBeUndefined();
    expect(parseSecretKey('not a key')).toBeUndefined();
  });

  it('refuses a malformed key in the environment or the file', () => {
    expect(() => loadSecretKey({ LOANDESK_SECRET_KEY: 'abc' })).toThrow(
      'LOANDESK_SECRET_KEY',
    );
    writeFileSync(join(directory, 'secret.key'), 'garbage\n');
    expect(() => loadSecretKey({ LOANDESK_DATA_DIR: directory })).toThrow(
      'malformed key file',
    );
  });
});
