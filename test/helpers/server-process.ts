// Starts the real LoanDesk server (`node bin/loandesk.js serve`) on a free
// port with its own data directory, waits for /api/v1/health, and stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/loandesk.js', import.meta.url));

export type RunningServer = {
  readonly url: string;
  readonly process: ChildProcess;
  readonly dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, wait for the exit, return its code. */
  stop(): Promise<number | null>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

// Bound: seeding the demo book on a busy 2-core machine takes up to a minute.
const START_MS_MAX = 240_000;

export async function startServer(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
  existingDataDir?: string,
): Promise<RunningServer> {
  const port = await freePort();
  const dataDir =
    existingDataDir ?? mkdtempSync(join(tmpdir(), 'loandesk-test-'));
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), ...args],
    {
      env: {
        ...process.env,
        LOANDESK_DATA_DIR: dataDir,
        DATABASE_URL: '',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_MS_MAX;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`server exited: ${output}`);
    try {
      ready = (await fetch(`${url}/api/v1/health`)).ok;
    } catch {
      // Not listening yet.
    }
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!ready) throw new Error(`server did not start: ${output}`);
  return {
    url,
    process: child,
    dataDir,
    output: () => output,
    stop: async () => {
      // A process killed by a signal keeps exitCode null: check both.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (existingDataDir === undefined)
        rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}
