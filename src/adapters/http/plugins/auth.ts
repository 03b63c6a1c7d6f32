import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  can,
  type Permission,
  type Role,
} from '../../../domain/security/permissions.js';
import type {
  SessionClaims,
  TokenSigner,
} from '../../security/session-token.js';

// Who is calling: a session cookie (the web workspace) or a bearer token
// (integrations) carrying the same signed claims. Routes declare the
// permission they need; everything else is refused (least privilege).

export const SESSION_COOKIE = 'loandesk_session';

export type Principal = {
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly Role[];
  /** The session token's id and expiry, for logout. */
  readonly tokenId: string;
  readonly expiresAt: string;
  /** When the token was issued (ms): long-lived sockets re-check it. */
  readonly issuedAtMs: number;
};

/**
 * Decides whether a validly signed token is still live: not revoked, issued
 * after the user's sessions were last revoked, user active.
 */
export type SessionCheck = (
  userId: string,
  tokenId: string,
  issuedAtMs: number,
) => Promise<
  { readonly username: string; readonly roles: readonly Role[] } | undefined
>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyInstance {
    requirePermission(
      permission: Permission,
    ): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer '))
    return header.slice('Bearer '.length).trim();
  return request.cookies?.[SESSION_COOKIE];
}

async function principalOf(
  claims: SessionClaims,
  check: SessionCheck,
): Promise<Principal | undefined> {
  // The signature proves the server issued the token; the store says
  // whether it still counts (logout, disabled user, changed roles).
  const live = await check(claims.sub, claims.jti, claims.iat_ms ?? 0);
  if (live === undefined) return undefined;
  return {
    userId: claims.sub,
    username: live.username,
    roles: live.roles,
    tokenId: claims.jti,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
    issuedAtMs: claims.iat_ms ?? 0,
  };
}

export const authPlugin = fp(
  async (
    app: FastifyInstance,
    options: { signer: TokenSigner; sessions: SessionCheck },
  ) => {
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      const token = tokenOf(request);
      if (token === undefined) return;
      const claims = options.signer.verify(
        token,
        Math.floor(Date.now() / 1000),
      );
      request.principal =
        claims === undefined
          ? undefined
          : await principalOf(claims, options.sessions);
    });
    app.decorate(
      'requirePermission',
      (permission: Permission) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          const principal = request.principal;
          if (principal === undefined) {
            return reply.status(401).send({
              error: { code: 'auth.required', message: '请先登录。' },
            });
          }
          if (!can(principal.roles, permission)) {
            return reply.status(403).send({
              error: {
                code: 'auth.forbidden',
                message: `当前角色无权执行此操作（${permission}）。`,
              },
            });
          }
        },
    );
  },
);
