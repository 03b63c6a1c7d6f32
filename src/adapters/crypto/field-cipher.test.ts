// Proves the field cipher round-trips, refuses tampered or moved
// ciphertexts, never repeats a ciphertext for the same value (random IV), and
// that blind indexes are deterministic per key and domain but differ across
// keys and domains — so an index from one column cannot probe another.
import { describe, expect, it } from 'vitest';
import {
  createFieldCipher,
  normalizeIdNumber,
  normalizePhone,
} from './field-cipher.js';

const cipher = createFieldCipher(Buffer.alloc(32, 1));

describe('field cipher', () => {
  it('decrypts what it encrypted under the same context', () => {
    const sealed = cipher.encrypt('王小明', 'customers.name:cust_1');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(cipher.decrypt(sealed, 'customers.name:cust_1')).toBe('王小明');
  });

  it('encrypts the same value differently every time', () => {
    const a = cipher.encrypt('13800001111', 'customers.phone:cust_1');
    const b = cipher.encrypt('13800001111', 'customers.phone:cust_1');
    expect(a).not.toBe(b);
  });

  it('refuses a ciphertext read under another row or column', () => {
    const sealed = cipher.encrypt('13800001111', 'customers.phone:cust_1');
    expect(() => cipher.decrypt(sealed, 'customers.phone:cust_2')).toThrow();
    expect(() => cipher.decrypt(sealed, 'customers.name:cust_1')).toThrow();
  });

  it('refuses a ciphertext with one byte changed', () => {
    const sealed = cipher.encrypt('110101199003071233', 'c:1');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 1;
    const forged = `v1:${bytes.toString('base64')}`;
    expect(() => cipher.decrypt(forged, 'c:1')).toThrow();
  });

  it('refuses a ciphertext under another key', () => {
    const other = createFieldCipher(Buffer.alloc(32, 2));
    const sealed = cipher.encrypt('王小明', 'c:1');
    expect(() => other.decrypt(sealed, 'c:1')).toThrow();
  });

  it('derives blind indexes per key and per domain', () => {
    const other = createFieldCipher(Buffer.alloc(32, 2));
    const index = cipher.blindIndex('phone', '13800001111');
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.blindIndex('phone', '13800001111')).toBe(index);
    expect(other.blindIndex('phone', '13800001111')).not.toBe(index);
    expect(cipher.blindIndex('id_number', '13800001111')).not.toBe(index);
  });

  it('normalises ID numbers and phones before indexing', () => {
    expect(normalizeIdNumber(' 11010519850612107x ')).toBe(
      '11010519850612107X',
    );
    expect(normalizePhone('+86 138-0000-1111')).toBe('13800001111');
    expect(normalizePhone('8613800001111')).toBe('13800001111');
    expect(normalizePhone('010-12345678')).toBe('01012345678');
  });

  it('asserts on a key of the wrong length', () => {
    expect(() => createFieldCipher(Buffer.alloc(16))).toThrow('key length');
  });
});
