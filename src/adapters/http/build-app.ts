import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import { installErrorHandler } from './error-handler.js';
import { calculatorRoutes } from './routes/calculator/calculator-routes.js';
import { healthRoutes } from './routes/health.js';

declare module 'fastify' {
  interface FastifyInstance {
    loandeskVersion: string;
  }
}

export type AppOptions = {
  readonly logger?: FastifyServerOptions['logger'];
  /** Requests per minute per client address; bounded to protect the ledger. */
  readonly rateLimitPerMinute?: number;
  readonly version?: string;
  /** The built web workspace (`npm run build:web`); served at / when present. */
  readonly webRoot?: string;
};

export const DEFAULT_WEB_ROOT = fileURLToPath(
  new URL('../../../web/dist', import.meta.url),
);

// Bound: a JSON request never needs more than 1 MiB (a 360-period schedule
// with prepayments is under 100 KiB).
export const BODY_BYTES_MAX = 1_048_576;

/**
 * Builds the HTTP application without listening (Fastify's testing guide):
 * tests call `inject`, `main/server.ts` calls `listen`.
 */
export async function buildApp(
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_BYTES_MAX,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('loandeskVersion', options.version ?? '0.1.0');
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  installErrorHandler(app, existsSync(webRoot) ? 'index.html' : undefined);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Self-hosted behind the operator's TLS proxy or on plain http on an
        // intranet: do not force https on sub-resources.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'LoanDesk API',
        description: 'LoanDesk 贷款客服平台 HTTP API',
        version: app.loandeskVersion,
      },
      tags: [
        { name: 'system', description: 'health and metadata' },
        {
          name: 'calculator',
          description: 'loan engine calculators (no stored data)',
        },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      index: ['index.html'],
    });
  }
  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(calculatorRoutes);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
