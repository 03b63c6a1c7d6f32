// Starts the SMTP sink (test/helpers/smtp-sink.ts) as a child process and
// collects the messages it receives, parsed with mailparser.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ParsedMail, simpleParser } from 'mailparser';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const SINK = fileURLToPath(new URL('./smtp-sink.ts', import.meta.url));
const START_MS_MAX = 60_000;

export type ReceivedMail = {
  readonly envelopeTo: readonly string[];
  readonly mail: ParsedMail;
};

export type SmtpSink = {
  readonly url: string;
  readonly process: ChildProcess;
  /** Every message received so far, parsed. */
  received(): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
};

export async function startSmtpSink(): Promise<SmtpSink> {
  const child = spawn(process.execPath, [RUN_TS, SINK], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffer = '';
  let resolvePort: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve, reject) => {
    resolvePort = resolve;
    setTimeout(
      () => reject(new Error('SMTP sink did not start')),
      START_MS_MAX,
    );
    child.once('exit', (code) => reject(new Error(`SMTP sink exited ${code}`)));
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const listening = /^listening (\d+)$/.exec(line);
      if (listening !== null) resolvePort(Number(listening[1]));
      else if (line.trim() !== '') lines.push(line);
      newline = buffer.indexOf('\n');
    }
  });
  const listeningPort = await port;
  return {
    url: `smtp://127.0.0.1:${listeningPort}`,
    process: child,
    received: async () =>
      Promise.all(
        lines.map(async (line) => {
          const parsed = JSON.parse(line) as { to: string[]; raw: string };
          return {
            envelopeTo: parsed.to,
            mail: await simpleParser(Buffer.from(parsed.raw, 'base64')),
          };
        }),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
