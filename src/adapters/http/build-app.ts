import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
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
import type { Kysely } from 'kysely';
import { todayInChina } from '../clock/today.js';
import type { DatabaseHandle } from '../db/kysely-database.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import type { TokenSigner } from '../security/session-token.js';
import { installErrorHandler } from './error-handler.js';
import { authPlugin } from './plugins/auth.js';
import { authRoutes } from './routes/auth/auth-routes.js';
import { calculatorRoutes } from './routes/calculator/calculator-routes.js';
import { customerRoutes } from './routes/customers/customer-routes.js';
import { dashboardRoutes } from './routes/dashboard/dashboard-routes.js';
import { healthRoutes } from './routes/health.js';
import { loanRoutes } from './routes/loans/loan-routes.js';

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
  /** The database side; without it only the stateless calculators are served. */
  readonly store?: AppStore;
  /** Send the session cookie only over https (behind a TLS proxy). */
  readonly secureCookies?: boolean;
};

export type AppStore = {
  readonly handle: DatabaseHandle;
  readonly repositories: Repositories;
  repositoriesOver(db: Kysely<Database>): Repositories;
  readonly signer: TokenSigner;
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
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
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
  await app.register(cookie);
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
      const store = options.store;
      if (store !== undefined)
        await registerStoreRoutes(api, store, options.secureCookies ?? false);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

async function registerStoreRoutes(
  api: FastifyInstance,
  store: AppStore,
  secureCookies: boolean,
): Promise<void> {
  const db = store.handle.db;
  await api.register(authPlugin, { signer: store.signer });
  await api.register(authRoutes, {
    repositories: store.repositories,
    signer: store.signer,
    secureCookies,
  });
  await api.register(customerRoutes, {
    repositories: store.repositories,
    db,
    now: () => new Date().toISOString(),
  });
  await api.register(loanRoutes, {
    repositories: store.repositories,
    db,
    repositoriesOver: (tx) => store.repositoriesOver(tx),
    lockLoan: async (tx, loanId) => {
      // SQLite has one writer at a time; PostgreSQL locks the loan's row.
      if (store.handle.dialect === 'postgres')
        await tx
          .selectFrom('loans')
          .select('id')
          .where('id', '=', loanId)
          .forUpdate()
          .execute();
    },
    today: () => todayInChina(),
    institutionZh: process.env.LOANDESK_INSTITUTION_NAME ?? 'LoanDesk 演示银行',
  });
  await api.register(dashboardRoutes, {
    db,
    today: () => todayInChina(),
    now: () => new Date().toISOString(),
  });
}
