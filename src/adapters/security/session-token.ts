import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../domain/security/permissions.js';

// Signed, expiring session tokens: base64url(JSON claims) + "." + HMAC-SHA256.
// The same token is the web's httpOnly cookie and an integration's bearer
// token. The signing key is derived from the instance secret (HKDF), so it
// never equals the key that encrypts PII.

export type SessionClaims = {
  /** Token id: random per login, the handle by which logout revokes it. */
  readonly jti: string;
  readonly sub: string;
  readonly username: string;
  readonly roles: readonly Role[];
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /**
   * Issued at, milliseconds since the epoch: a token issued before the
   * user's sessions were revoked (user disabled) is dead. Absent on tokens
   * signed before the claim existed; they count as issued at 0.
   */
  readonly iat_ms?: number;
};

// Bound: a working shift. Integrations re-authenticate after it.
export const SESSION_SECONDS_MAX = 12 * 3600;

export type TokenSigner = {
  sign(claims: SessionClaims): string;
  verify(token: string, nowSeconds: number): SessionClaims | undefined;
};

export function createTokenSigner(instanceSecret: Buffer): TokenSigner {
  const key = Buffer.from(
    hkdfSync(
      'sha256',
      instanceSecret,
      Buffer.alloc(0),
      'loandesk-session-v1',
      32,
    ),
  );
  const mac = (payload: string) =>
    createHmac('sha256', key).update(payload).digest();
  return {
    sign(claims) {
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token, nowSeconds) {
      const [payload, signature, extra] = token.split('.');
      if (
        payload === undefined ||
        signature === undefined ||
        extra !== undefined ||
        token.length > 4096
      )
        return undefined;
      const expected = mac(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return undefined;
      try {
        const claims = JSON.parse(
          Buffer.from(payload, 'base64url').toString('utf8'),
        ) as SessionClaims;
        if (
          typeof claims.exp !== 'number' ||
          claims.exp <= nowSeconds ||
          typeof claims.jti !== 'string' ||
          claims.jti === '' ||
          typeof claims.sub !== 'string' ||
          !Array.isArray(claims.roles) ||
          (claims.iat_ms !== undefined && typeof claims.iat_ms !== 'number')
        )
          return undefined;
        return claims;
      } catch {
        return undefined;
      }
    },
  };
}
