// Before the browser suites: Debian's Chromium is installed (scripts/
// ensure-chromium.sh) and the web workspace is built when its sources are
// newer than the build, so the real server serves the current UI.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (entry.includes('node_modules') || entry.startsWith('dist')) continue;
    newest = Math.max(newest, statSync(join(dir, entry)).mtimeMs);
  }
  return newest;
}

export function setup(): void {
  execFileSync('bash', [join(ROOT, 'scripts/ensure-chromium.sh')], {
    stdio: 'inherit',
  });
  const built = join(ROOT, 'web/dist/index.html');
  const sources = Math.max(
    newestSource(join(ROOT, 'web')),
    newestSource(join(ROOT, 'src/contracts')),
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    execFileSync(
      'npx',
      ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      { cwd: ROOT, stdio: 'inherit' },
    );
  }
}
