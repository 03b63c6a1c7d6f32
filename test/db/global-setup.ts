import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

// Makes sure PostgreSQL is running before the test/db suites (they open a
// schema each in the local `test` database). Nothing here fails the run:
// if the server cannot be started, the PostgreSQL suites fail on their own
// connect, loudly, which is what CI needs (they never skip). Other suites
// are unaffected. DIALECTS=sqlite outside CI skips the check.

function isReady(): boolean {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-t', '2'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

function startLocalCluster(): void {
  // Debian layout: /etc/postgresql/<version>/main.
  const versions = readdirSync('/etc/postgresql');
  for (const version of versions) {
    execFileSync(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', version, 'main', 'start'],
      { stdio: 'ignore' },
    );
  }
}

export function setup(): void {
  const dialects = process.env.DIALECTS ?? 'sqlite,postgres';
  if (process.env.CI !== 'true' && !dialects.includes('postgres')) return;
  if (isReady()) return;
  try {
    startLocalCluster();
  } catch (error) {
    process.stderr.write(
      `global-setup: could not start PostgreSQL (${String(error)})\n`,
    );
    return;
  }
  for (let attempt = 0; attempt < 20 && !isReady(); attempt += 1) {
    execFileSync('sleep', ['0.5']);
  }
}
