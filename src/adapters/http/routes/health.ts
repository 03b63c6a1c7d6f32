import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: 200 once the server can answer',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            version: Type.String(),
          }),
        },
      },
    },
    async () => ({ status: 'ok' as const, version: app.loandeskVersion }),
  );
};
