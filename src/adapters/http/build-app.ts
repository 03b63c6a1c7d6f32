import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, {
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { Kysely } from 'kysely';
import type { ChannelRuntime } from '../channels/channel-runtime.js';
import { ChatService, type ConversationParts } from '../chat/chat-service.js';
import { lazyConversationParts } from '../chat/default-parts.js';
import { createStoreChatHub } from '../chat/store-chat-hub.js';
import { minuteOfDayInChina, todayInChina } from '../clock/today.js';
import { defaultContactPolicy } from '../compliance/load-contact-policy.js';
import type { DatabaseHandle } from '../db/kysely-database.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import { lazyQaEngines } from '../qa/qa-parts.js';
import type { TokenSigner } from '../security/session-token.js';
import { installErrorHandler } from './error-handler.js';
import { authPlugin } from './plugins/auth.js';
import { caseScopePlugin } from './plugins/case-scope.js';
import { applicationRoutes } from './routes/applications/application-routes.js';
import { authRoutes } from './routes/auth/auth-routes.js';
import { calculatorRoutes } from './routes/calculator/calculator-routes.js';
import { channelRoutes } from './routes/channels/channel-routes.js';
import { chatRoutes } from './routes/chat/chat-routes.js';
import { collectionRoutes } from './routes/collections/collection-routes.js';
import { complaintRoutes } from './routes/complaints/complaint-routes.js';
import { conversationRoutes } from './routes/conversations/conversation-routes.js';
import { customerEmailRoutes } from './routes/customers/customer-email-routes.js';
import { customerOverviewRoutes } from './routes/customers/customer-overview-routes.js';
import { customerRoutes } from './routes/customers/customer-routes.js';
import { dashboardRoutes } from './routes/dashboard/dashboard-routes.js';
import { healthRoutes } from './routes/health.js';
import { loanOperationRoutes } from './routes/loans/loan-operation-routes.js';
import { loanRoutes } from './routes/loans/loan-routes.js';
import { negotiationRoutes } from './routes/negotiation/negotiation-routes.js';
import { negotiationPolicyRoutes } from './routes/negotiation/policy-routes.js';
import { qaRoutes } from './routes/qa/qa-routes.js';
import { teamRoutes } from './routes/teams/team-routes.js';
import { trainingRoutes } from './routes/training/training-routes.js';
import { userRoutes } from './routes/users/user-routes.js';

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
  /** The chat's engines; by default the shipped ones, loaded on first use. */
  readonly conversation?: ConversationParts;
  /** New borrower conversations per minute per client address. */
  readonly chatSessionsPerMinute?: number;
  /** Pause between streamed chunks of a bot reply (WebSocket), ms. */
  readonly chatStreamDelayMs?: number;
  /**
   * Origins whose pages may frame the borrower chat (/chat, loaded by
   * /widget.js); default LOANDESK_CHAT_EMBED_ORIGINS, comma-separated.
   */
  readonly chatEmbedOrigins?: readonly string[];
};

/** Defaults of the limits above: safe for a public borrower endpoint. */
export const RATE_LIMIT_PER_MINUTE_DEFAULT = 600;
export const CHAT_SESSIONS_PER_MINUTE_DEFAULT = 30;
const CHAT_STREAM_DELAY_MS_DEFAULT = 30;

// The chat WebSocket carries its token in the query string: request logs
// show the URL with the token replaced.
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&]*/g, '$1[redacted]');
}

function withRedaction(
  logger: FastifyServerOptions['logger'],
): NonNullable<FastifyServerOptions['logger']> {
  if (logger === undefined || logger === false) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    serializers: { ...(base.serializers ?? {}), req: requestForLog },
  };
}

function requestForLog(request: {
  method: string;
  url: string;
  id?: string;
}): Record<string, unknown> {
  return {
    id: request.id,
    method: request.method,
    url: redactUrl(request.url),
  };
}

export type AppStore = {
  readonly handle: DatabaseHandle;
  readonly repositories: Repositories;
  repositoriesOver(db: Kysely<Database>): Repositories;
  readonly signer: TokenSigner;
  /** Reminders, outbox and complaints; their routes exist only with it. */
  readonly channels?: ChannelRuntime;
  /** The clock of those routes (ISO-8601); tests pin it. */
  readonly now?: () => string;
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
    logger: withRedaction(options.logger),
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
  allowChatFraming(
    app,
    options.chatEmbedOrigins ??
      (process.env.LOANDESK_CHAT_EMBED_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => /^https?:\/\/[^\s;'"]+$/.test(origin)),
  );
  await app.register(cookie);
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? RATE_LIMIT_PER_MINUTE_DEFAULT,
    timeWindow: '1 minute',
  });
  await app.register(websocket, {
    options: { maxPayload: 65_536 },
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
        {
          name: 'chat',
          description:
            'borrower chat: no login, the conversation token in X-Chat-Token',
        },
        {
          name: 'conversations',
          description: 'agents: inbox, take-over, replies through compliance',
        },
        { name: 'compliance', description: 'live compliance check' },
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
      if (store !== undefined) await registerStoreRoutes(api, store, options);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

// The workspace may never be framed (clickjacking), but the borrower chat
// is made to be embedded: /chat alone lets the configured origins frame it.
function allowChatFraming(
  app: FastifyInstance,
  origins: readonly string[],
): void {
  if (origins.length === 0) return;
  app.addHook('onSend', async (request, reply, payload) => {
    const path = request.url.split('?')[0] ?? '';
    if (path !== '/chat' && !path.startsWith('/chat/')) return payload;
    const policy = reply.getHeader('content-security-policy');
    if (typeof policy === 'string')
      reply.header(
        'content-security-policy',
        policy.replace(
          /frame-ancestors [^;]*/,
          `frame-ancestors 'self' ${origins.join(' ')}`,
        ),
      );
    reply.removeHeader('x-frame-options');
    return payload;
  });
}

async function registerStoreRoutes(
  api: FastifyInstance,
  store: AppStore,
  options: AppOptions,
): Promise<void> {
  const secureCookies = options.secureCookies ?? false;
  const db = store.handle.db;
  await api.register(authPlugin, {
    signer: store.signer,
    sessions: (userId, tokenId, issuedAtMs) =>
      store.repositories.users.sessionPrincipal(userId, tokenId, issuedAtMs),
  });
  await api.register(authRoutes, {
    repositories: store.repositories,
    signer: store.signer,
    secureCookies,
  });
  await api.register(userRoutes, { repositories: store.repositories });
  // Collectors and negotiators see only their assigned cases.
  await api.register(caseScopePlugin, {
    work: store.repositories.collectionWork,
  });
  await api.register(customerRoutes, {
    repositories: store.repositories,
    db,
    now: () => new Date().toISOString(),
  });
  await api.register(customerEmailRoutes, {
    repositories: store.repositories,
    db,
    repositoriesOver: (tx) => store.repositoriesOver(tx),
    now: () => new Date().toISOString(),
  });
  await api.register(applicationRoutes, {
    repositories: store.repositories,
    db,
    repositoriesOver: (tx) => store.repositoriesOver(tx),
    today: () => todayInChina(),
  });
  await api.register(loanRoutes, {
    repositories: store.repositories,
    db,
    repositoriesOver: (tx) => store.repositoriesOver(tx),
    lockLoan: loanLock(store),
    today: () => todayInChina(),
    institutionZh: process.env.LOANDESK_INSTITUTION_NAME ?? 'LoanDesk 演示银行',
  });
  await api.register(loanOperationRoutes, {
    repositories: store.repositories,
    db,
    repositoriesOver: (tx) => store.repositoriesOver(tx),
    lockLoan: loanLock(store),
    today: () => todayInChina(),
  });
  await api.register(customerOverviewRoutes, {
    repositories: store.repositories,
    db,
    today: () => todayInChina(),
  });
  await api.register(dashboardRoutes, {
    db,
    today: () => todayInChina(),
    now: () => new Date().toISOString(),
  });
  const given = options.conversation;
  // Chat events across instances (PostgreSQL LISTEN/NOTIFY); ids only.
  const hub = createStoreChatHub(store, (error, context) =>
    api.log.error(
      { err: { message: (error as Error).message } },
      `chat broker: ${context} failed`,
    ),
  );
  await hub.start();
  api.addHook('onClose', async () => hub.close());
  const chat = new ChatService({
    db,
    repositories: store.repositories,
    repositoriesOver: (tx) => store.repositoriesOver(tx),
    parts: given === undefined ? lazyConversationParts() : () => given,
    today: () => todayInChina(),
    minuteOfDay: () => minuteOfDayInChina(),
    hub,
  });
  await api.register(chatRoutes, {
    chat,
    sessionsPerMinute:
      options.chatSessionsPerMinute ?? CHAT_SESSIONS_PER_MINUTE_DEFAULT,
    streamDelayMs: options.chatStreamDelayMs ?? CHAT_STREAM_DELAY_MS_DEFAULT,
  });
  await api.register(conversationRoutes, {
    chat,
    repositories: store.repositories,
  });
  await registerCollectionsRoutes(api, store);
  await registerChannelRoutes(api, store);
  const qaEngines = lazyQaEngines();
  await api.register(qaRoutes, {
    repositories: store.repositories,
    engines: qaEngines,
    today: () => todayInChina(),
  });
  await api.register(trainingRoutes, {
    repositories: store.repositories,
    engines: qaEngines,
    today: () => todayInChina(),
  });
  await api.register(teamRoutes, { repositories: store.repositories });
}

/** Reminders, outbox and complaints, when the store has a channel runtime. */
async function registerChannelRoutes(
  api: FastifyInstance,
  store: AppStore,
): Promise<void> {
  if (store.channels === undefined) return;
  const channelOptions = {
    runtime: store.channels,
    db: store.handle.db,
    repositoriesOver: (tx: Kysely<Database>) => store.repositoriesOver(tx),
    now: store.now ?? (() => new Date().toISOString()),
  };
  await api.register(channelRoutes, channelOptions);
  await api.register(complaintRoutes, channelOptions);
}

/** Serialises writes on one loan: SQLite has one writer at a time; PostgreSQL locks the loan's row. */
function loanLock(
  store: AppStore,
): (tx: Kysely<Database>, loanId: string) => Promise<void> {
  return async (tx, loanId) => {
    if (store.handle.dialect === 'postgres')
      await tx
        .selectFrom('loans')
        .select('id')
        .where('id', '=', loanId)
        .forUpdate()
        .execute();
  };
}

async function registerCollectionsRoutes(
  api: FastifyInstance,
  store: AppStore,
): Promise<void> {
  const db = store.handle.db;
  const contactPolicy = defaultContactPolicy();
  await api.register(collectionRoutes, {
    repositories: store.repositories,
    db,
    contactPolicy: () => contactPolicy,
    now: () => new Date(),
    today: () => todayInChina(),
  });
  await api.register(negotiationRoutes, {
    repositories: store.repositories,
    db,
    repositoriesOver: (tx) => store.repositoriesOver(tx),
    lockLoan: loanLock(store),
    today: () => todayInChina(),
    institutionZh: process.env.LOANDESK_INSTITUTION_NAME ?? 'LoanDesk 演示银行',
  });
  await api.register(negotiationPolicyRoutes, {
    repositories: store.repositories,
  });
}
