import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorOutput } from '../../../../contracts/loan.js';
import type { Repositories } from '../../../db/repositories/index.js';
import { hashPassword, verifyPassword } from '../../../security/passwords.js';
import {
  SESSION_SECONDS_MAX,
  type TokenSigner,
} from '../../../security/session-token.js';
import { SESSION_COOKIE } from '../../plugins/auth.js';

const UserOutput = Type.Object({
  username: Type.String(),
  display_name: Type.String(),
  roles: Type.Array(Type.String()),
});

// Bound: 10 login attempts a minute per address slows password guessing.
const LOGIN_ATTEMPTS_PER_MINUTE = 10;

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword('loandesk-no-such-user');
  return dummy;
}

export type AuthRouteOptions = {
  readonly repositories: Repositories;
  readonly signer: TokenSigner;
  readonly secureCookies: boolean;
};

export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (
  app,
  options,
) => {
  app.post(
    '/auth/login',
    {
      config: {
        rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary:
          '登录：a session cookie for the web and the same token for integrations',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: {
          200: Type.Object({
            token: Type.String(),
            expires_in: Type.Integer(),
            user: UserOutput,
          }),
          401: ErrorOutput,
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const credentials =
        await options.repositories.users.passwordHashFor(username);
      // An unknown user costs the same argon2 work as a wrong password, and
      // both get the same answer.
      const valid = await verifyPassword(
        credentials?.passwordHash ?? (await dummyHash()),
        password,
      );
      const user =
        valid && credentials !== undefined
          ? await options.repositories.users.findById(credentials.userId)
          : undefined;
      if (user === undefined) {
        return reply.status(401).send({
          error: {
            code: 'auth.invalid_credentials',
            message: '用户名或密码不正确。',
          },
        });
      }
      const exp = Math.floor(Date.now() / 1000) + SESSION_SECONDS_MAX;
      const token = options.signer.sign({
        jti: randomUUID(),
        sub: user.id,
        username: user.username,
        roles: user.roles,
        exp,
        iat_ms: Date.now(),
      });
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: options.secureCookies,
        maxAge: SESSION_SECONDS_MAX,
      });
      return {
        token,
        expires_in: SESSION_SECONDS_MAX,
        user: {
          username: user.username,
          display_name: user.displayName,
          roles: [...user.roles],
        },
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: '退出登录：the token stops working on the server at once',
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      // Revoked server-side: a copy of the token (an integration's, or a
      // stolen cookie) is refused from now on, not only this browser's.
      if (principal !== undefined)
        await options.repositories.users.revokeSession(
          {
            tokenId: principal.tokenId,
            userId: principal.userId,
            expiresAt: principal.expiresAt,
          },
          principal.username,
        );
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: '当前用户',
        response: { 200: UserOutput, 401: ErrorOutput },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === undefined)
        return reply
          .status(401)
          .send({ error: { code: 'auth.required', message: '请先登录。' } });
      const user = await options.repositories.users.findById(principal.userId);
      if (user === undefined)
        return reply
          .status(401)
          .send({ error: { code: 'auth.required', message: '请先登录。' } });
      return {
        username: user.username,
        display_name: user.displayName,
        roles: [...user.roles],
      };
    },
  );
};
