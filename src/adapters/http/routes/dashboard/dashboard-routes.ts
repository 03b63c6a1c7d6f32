import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import {
  DashboardOutput,
  DashboardQuery,
} from '../../../../contracts/dashboard.js';
import { ErrorOutput } from '../../../../contracts/loan.js';
import type { CalendarDate } from '../../../../domain/shared/calendar-date.js';
import type { Database } from '../../../db/schema.js';
import { readDashboard } from './dashboard-read-model.js';

export type DashboardRouteOptions = {
  readonly db: Kysely<Database>;
  readonly today: () => CalendarDate;
  readonly now: () => string;
};

const DAYS_DEFAULT = 14;

export const dashboardRoutes: FastifyPluginAsyncTypebox<
  DashboardRouteOptions
> = async (app, options) => {
  app.get(
    '/dashboard',
    {
      preHandler: app.requirePermission('dashboard.read'),
      schema: {
        tags: ['dashboard'],
        summary:
          '主管看板：会话量、机器人解决率、转人工原因、合规拦截、逾期分布、迁徙率、承诺履约率、投诉时限',
        querystring: DashboardQuery,
        response: { 200: DashboardOutput, 401: ErrorOutput, 403: ErrorOutput },
      },
    },
    async (request) =>
      readDashboard(
        options.db,
        { today: options.today(), now: options.now() },
        request.query.days ?? DAYS_DEFAULT,
      ),
  );
};
