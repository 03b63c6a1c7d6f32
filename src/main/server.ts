// Composition root of the server: builds the app, listens, and stops
// gracefully on SIGTERM / SIGINT (in-flight requests finish first).
import { buildApp } from '../adapters/http/build-app.js';

export type ServerOptions = { readonly port: number; readonly host: string };

export async function startServer(options: ServerOptions): Promise<void> {
  const app = await buildApp({
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: options.port, host: options.host });
}
