// Runs the real `loandesk` bin as a user would (node bin/loandesk.js), with
// stdin, and returns its exit code and output.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/loandesk.js', import.meta.url));

export type CliResult = {
  status: number | null;
  stdout: string;
  stderr: string;
};

export function runCli(
  args: readonly string[],
  stdin: string | Buffer = '',
  env: NodeJS.ProcessEnv = {},
): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
    // Room for a 1 MB input echoed back in JSONL answers.
    maxBuffer: 16 * 1024 * 1024,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** Runs a command expected to succeed and parses its single JSON answer. */
export function runCliJson(
  args: readonly string[],
  input: unknown,
): Record<string, unknown> {
  const result = runCli(args, JSON.stringify(input));
  if (result.status !== 0)
    throw new Error(`loandesk ${args.join(' ')} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}
