import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { assert } from '../../domain/shared/assert.js';
import { SECRET_KEY_BYTES } from './secret-key.js';

// Field-level encryption of PII at rest (SPEC capability 9) and blind indexes
// to find a row by an encrypted value without decrypting the table.
//
// - Encryption: AES-256-GCM, a fresh 96-bit random IV per value (NIST SP
//   800-38D §8.2.2: random IVs are safe far beyond this product's volume),
//   128-bit tag. The associated data binds a ciphertext to its table, column
//   and row id, so a ciphertext copied into another row or column fails to
//   decrypt instead of showing the wrong customer's data.
// - Blind index: HMAC-SHA256 over the normalised value under a separate key.
//   Deterministic by design (equality lookups), so it is only built for
//   high-entropy identifiers (ID number, phone), never for names.
// - Both keys are derived from the one secret with HKDF-SHA256 (RFC 5869)
//   under distinct labels, so the index key can never decrypt anything.
//
// Basis: 《个人信息保护法》Art. 51 (encryption and de-identification as
// security measures); 《个人金融信息保护技术规范》JR/T 0171-2020 (stored
// C3/C2 personal financial information is encrypted).

const CIPHERTEXT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Bound: the longest plaintext field we encrypt (names, addresses, notes).
export const FIELD_PLAINTEXT_BYTES_MAX = 4_096;

export type BlindIndexDomain = 'id_number' | 'id_tail' | 'phone';

export type FieldCipher = {
  /** Encrypts `plaintext` bound to `context` (e.g. "customers.phone:cust_1"). */
  readonly encrypt: (plaintext: string, context: string) => string;
  /** Decrypts; throws when the value was tampered with or moved. */
  readonly decrypt: (ciphertext: string, context: string) => string;
  /** The blind index of an already normalised value. */
  readonly blindIndex: (domain: BlindIndexDomain, normalized: string) => string;
};

function deriveKey(secret: Buffer, label: string): Buffer {
  const bytes = hkdfSync('sha256', secret, Buffer.alloc(0), label, 32);
  return Buffer.from(bytes);
}

export function createFieldCipher(secret: Buffer): FieldCipher {
  assert(secret.length === SECRET_KEY_BYTES, 'createFieldCipher: key length');
  const encryptionKey = deriveKey(secret, 'loandesk/field-encryption/v1');
  const indexKey = deriveKey(secret, 'loandesk/blind-index/v1');
  return {
    encrypt(plaintext, context) {
      const data = Buffer.from(plaintext, 'utf8');
      assert(data.length <= FIELD_PLAINTEXT_BYTES_MAX, 'encrypt: too long');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(data), cipher.final()]);
      const tag = cipher.getAuthTag();
      const packed = Buffer.concat([iv, tag, body]).toString('base64');
      return `${CIPHERTEXT_VERSION}:${packed}`;
    },
    decrypt(ciphertext, context) {
      const [version, packed] = ciphertext.split(':');
      assert(version === CIPHERTEXT_VERSION, 'decrypt: unknown version');
      assert(packed !== undefined, 'decrypt: malformed ciphertext');
      const bytes = Buffer.from(packed, 'base64');
      assert(bytes.length >= IV_BYTES + TAG_BYTES, 'decrypt: too short');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        encryptionKey,
        bytes.subarray(0, IV_BYTES),
      );
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const body = bytes.subarray(IV_BYTES + TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString(
        'utf8',
      );
    },
    blindIndex(domain, normalized) {
      assert(normalized !== '', 'blindIndex: empty value');
      return createHmac('sha256', indexKey)
        .update(`${domain}\u0000${normalized}`, 'utf8')
        .digest('hex');
    },
  };
}

/** Canonical form of a resident ID number: trimmed, upper-case X. */
export function normalizeIdNumber(text: string): string {
  return text.trim().replace(/\s+/g, '').toUpperCase();
}

/** Canonical form of a mainland mobile number: 11 digits, no +86 or spaces. */
export function normalizePhone(text: string): string {
  const digits = text.replace(/[\s-]/g, '');
  return digits.replace(/^(?:\+?86)(?=1\d{10}$)/, '');
}
