import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorOutput } from '../../../../contracts/loan.js';
import {
  TeamCreateInput,
  TeamMembersInput,
  TeamOutput,
  TeamsOutput,
  TeamUpdateInput,
} from '../../../../contracts/teams.js';
import type { Result } from '../../../../domain/shared/result.js';
import type { Repositories } from '../../../db/repositories/index.js';
import type {
  Team,
  TeamError,
  TeamMember,
} from '../../../db/repositories/team-repository.js';
import { HttpRefusal } from '../../refusal.js';

// Teams (班组) for admins: list them with their members and the users in no
// team, create one, rename it or change its lead, and assign or remove
// users. Every change is audited by the repository.

export type TeamRouteOptions = {
  readonly repositories: Repositories;
};

function memberJson(member: TeamMember) {
  return {
    user_id: member.userId,
    username: member.username,
    display_name: member.displayName,
    roles: [...member.roles],
  };
}

function teamJson(team: Team) {
  return {
    id: team.id,
    name: team.name,
    lead: team.lead === undefined ? null : memberJson(team.lead),
    members: team.members.map(memberJson),
    created_at: team.createdAt,
    updated_at: team.updatedAt,
  };
}

function teamName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '')
    throw new HttpRefusal(400, 'team.name_blank', '班组名称不能为空。', 'name');
  return trimmed;
}

function answer(result: Result<Team, TeamError>, userField: string) {
  if (result.ok) return teamJson(result.value);
  switch (result.error.code) {
    case 'team.not_found':
      throw new HttpRefusal(404, result.error.code, '未找到该班组。');
    case 'team.name_taken':
      throw new HttpRefusal(
        409,
        result.error.code,
        `班组名称“${result.error.name}”已被使用。`,
        'name',
      );
    case 'team.user_not_found':
      throw new HttpRefusal(
        404,
        result.error.code,
        `未找到用户 ${result.error.userId}。`,
        userField,
      );
  }
}

const refusals = {
  400: ErrorOutput,
  401: ErrorOutput,
  403: ErrorOutput,
  404: ErrorOutput,
  409: ErrorOutput,
};

export const teamRoutes: FastifyPluginAsyncTypebox<TeamRouteOptions> = async (
  app,
  options,
) => {
  const teams = options.repositories.teams;
  const actor = (request: {
    readonly principal?: { readonly username: string } | undefined;
  }) => `user:${request.principal?.username ?? '?'}`;
  const manage = app.requirePermission('user.manage');

  app.get(
    '/teams',
    {
      preHandler: manage,
      schema: {
        tags: ['teams'],
        summary: '班组列表：组长、成员，以及未分组的在职用户',
        response: { 200: TeamsOutput, 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    async () => {
      const overview = await teams.overview();
      return {
        teams: overview.teams.map(teamJson),
        unassigned: overview.unassigned.map(memberJson),
      };
    },
  );

  app.post(
    '/teams',
    {
      preHandler: manage,
      schema: {
        tags: ['teams'],
        summary: '新建班组（名称唯一，可指定组长；写入审计日志）',
        body: TeamCreateInput,
        response: { 201: TeamOutput, ...refusals },
      },
    },
    async (request, reply) => {
      const { lead_user_id: lead } = request.body;
      const result = await teams.create(
        {
          name: teamName(request.body.name),
          ...(lead === undefined ? {} : { leadUserId: lead }),
        },
        actor(request),
      );
      const body = answer(result, 'lead_user_id');
      return reply.status(201).send(body);
    },
  );

  app.patch(
    '/teams/:id',
    {
      preHandler: manage,
      schema: {
        tags: ['teams'],
        summary: '班组改名或更换组长（null 表示取消组长；写入审计日志）',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: TeamUpdateInput,
        response: { 200: TeamOutput, ...refusals },
      },
    },
    async (request) => {
      const { name, lead_user_id: lead } = request.body;
      return answer(
        await teams.update(
          request.params.id,
          {
            ...(name === undefined ? {} : { name: teamName(name) }),
            ...(lead === undefined ? {} : { leadUserId: lead }),
          },
          actor(request),
        ),
        'lead_user_id',
      );
    },
  );

  app.post(
    '/teams/:id/members',
    {
      preHandler: manage,
      schema: {
        tags: ['teams'],
        summary: '把用户分配到班组（原属其他班组的将被调入；写入审计日志）',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: TeamMembersInput,
        response: { 200: TeamOutput, ...refusals },
      },
    },
    async (request) =>
      answer(
        await teams.assign(
          request.params.id,
          request.body.user_ids,
          actor(request),
        ),
        'user_ids',
      ),
  );

  app.delete(
    '/teams/:id/members/:userId',
    {
      preHandler: manage,
      schema: {
        tags: ['teams'],
        summary: '把用户移出班组（写入审计日志）',
        params: Type.Object({
          id: Type.String({ maxLength: 64 }),
          userId: Type.String({ maxLength: 64 }),
        }),
        response: { 200: TeamOutput, ...refusals },
      },
    },
    async (request) =>
      answer(
        await teams.unassign(
          request.params.id,
          request.params.userId,
          actor(request),
        ),
        'userId',
      ),
  );
};
