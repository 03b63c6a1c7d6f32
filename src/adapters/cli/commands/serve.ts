import type { Command } from 'commander';
import { InputError } from '../../wire/input-error.js';

export type ServeFlags = { port?: string; host?: string; demo?: boolean };

export function registerServeCommand(
  program: Command,
  start: (options: {
    port: number;
    host: string;
    demo: boolean;
  }) => Promise<void>,
): void {
  program
    .command('serve')
    .description(
      '启动服务：HTTP API under /api/v1, OpenAPI at /api/docs (default port 3000 or PORT)',
    )
    .option('--port <n>', 'port to listen on')
    .option(
      '--host <addr>',
      'address to bind (default 127.0.0.1; 0.0.0.0 for all)',
    )
    .option('--demo', 'seed the demo book first if the database is empty')
    .action(async (flags: ServeFlags) => {
      const text = flags.port ?? process.env.PORT ?? '3000';
      const port = Number(text);
      if (!/^\d+$/.test(text) || port < 1 || port > 65_535) {
        throw new InputError(
          `port: must be a whole number from 1 to 65535, got ${text}`,
        );
      }
      await start({
        port,
        host: flags.host ?? process.env.HOST ?? '127.0.0.1',
        demo: flags.demo === true,
      });
    });
}
