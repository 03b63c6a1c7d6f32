import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorOutput } from '../../../../contracts/loan.js';
import {
  ROLE_NAME_ZH,
  ROLES,
  type Role,
} from '../../../../domain/security/permissions.js';
import { assert } from '../../../../domain/shared/assert.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type { User } from '../../../db/repositories/user-repository.js';
import { badInput, HttpRefusal, notFound } from '../../refusal.js';

// User administration (admin only, `user.manage`): the staff list, and one
// PATCH that disables or re-enables a user and changes their roles.
// Disabling revokes every session and token of the user at once. An admin
// cannot disable themself or drop their own admin role. Audited with who
// and why (`user.update`).

const RoleId = Type.Union(ROLES.map((r) => Type.Literal(r)));
const UserRow = Type.Object({
  user_id: Type.String(),
  username: Type.String(),
  display_name: Type.String(),
  status: Type.String(),
  status_zh: Type.String(),
  roles: Type.Array(Type.String()),
  roles_zh: Type.Array(Type.String()),
  created_at: Type.String(),
});
const ERRORS = {
  400: ErrorOutput,
  401: ErrorOutput,
  403: ErrorOutput,
  404: ErrorOutput,
  409: ErrorOutput,
};

function userRow(user: User) {
  return {
    user_id: user.id,
    username: user.username,
    display_name: user.displayName,
    status: user.status,
    status_zh: user.status === 'active' ? '启用' : '已停用',
    roles: [...user.roles],
    roles_zh: user.roles.map((role) => ROLE_NAME_ZH[role]),
    created_at: user.createdAt,
  };
}

export type UserRouteOptions = { readonly repositories: Repositories };

export const userRoutes: FastifyPluginAsyncTypebox<UserRouteOptions> = async (
  app,
  options,
) => {
  const users = options.repositories.users;

  app.get(
    '/users',
    {
      preHandler: app.requirePermission('user.manage'),
      schema: {
        tags: ['users'],
        summary: '用户列表（系统管理员）',
        response: { 200: Type.Array(UserRow), ...ERRORS },
      },
    },
    async () => (await users.list()).map(userRow),
  );

  app.patch(
    '/users/:userId',
    {
      preHandler: app.requirePermission('user.manage'),
      schema: {
        tags: ['users'],
        summary:
          '停用/启用用户、调整角色（停用即时作废其全部登录会话与令牌；须写明事由）',
        params: Type.Object({ userId: Type.String({ maxLength: 64 }) }),
        body: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
          ),
          roles: Type.Optional(
            Type.Array(RoleId, {
              minItems: 1,
              maxItems: ROLES.length,
              uniqueItems: true,
            }),
          ),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
        }),
        response: { 200: UserRow, ...ERRORS },
      },
    },
    async (request) => {
      const principal = request.principal;
      assert(principal !== undefined, 'user.update: after requirePermission');
      const { status, roles, reason } = request.body;
      if (status === undefined && roles === undefined)
        throw badInput('status', '请指定要变更的状态（status）或角色（roles）');
      if (reason.trim() === '')
        throw badInput('reason', '须写明事由', 'input.invalid');
      const changed = await users.update(
        request.params.userId,
        {
          ...(status === undefined ? {} : { status }),
          ...(roles === undefined ? {} : { roles: roles as Role[] }),
        },
        {
          actorId: principal.userId,
          actor: principal.username,
          reason: reason.trim(),
        },
      );
      if (!changed.ok) {
        if (changed.error.code === 'user.not_found')
          throw notFound(changed.error.code, '未找到该用户。');
        throw new HttpRefusal(
          409,
          changed.error.code,
          status === 'disabled'
            ? '不能停用自己的账号，请由另一位系统管理员操作。'
            : '不能移除自己的系统管理员角色，请由另一位系统管理员操作。',
        );
      }
      return userRow(changed.value);
    },
  );
};
