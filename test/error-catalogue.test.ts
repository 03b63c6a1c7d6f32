// Keeps docs/errors.md and the source in step (Fastify's errors.test.js
// idea): every error code the source returns (`code: '<context>.<reason>'` or
// a member of a `…Code`/`…Error` union) is documented, and every documented
// code still occurs in the source.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CODE = /'([a-z][a-z_]*\.[a-z][a-z0-9_]*)'/g;

function sources(): string[] {
  const files: string[] = [];
  for (const dir of [
    'src/domain',
    'src/app',
    'src/contracts',
    'src/adapters',
  ]) {
    const full = join(ROOT, dir);
    let entries: string[] = [];
    try {
      entries = readdirSync(full, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries)
      if (entry.endsWith('.ts') && !entry.endsWith('.test.ts'))
        files.push(readFileSync(join(full, entry), 'utf8'));
  }
  return files;
}

function declaredCodes(): Set<string> {
  const codes = new Set<string>();
  for (const text of sources()) {
    // `code: 'x.y'` anywhere, and `| 'x.y'` members of a type named …Error or
    // …Code (other unions, such as permissions, are not error codes).
    let inErrorType = false;
    for (const line of text.split('\n')) {
      const declaration = /^\s*(?:export\s+)?type\s+(\w+)/.exec(line);
      if (declaration !== null)
        inErrorType = /(Error|Code)$/.test(declaration[1] ?? '');
      const isMember = /^\s*\|\s*'/.test(line) && inErrorType;
      if (!/\bcode\b/.test(line) && !isMember) continue;
      for (const match of line.matchAll(CODE))
        if (match[1] !== undefined) codes.add(match[1]);
    }
  }
  return codes;
}

function documentedCodes(): Set<string> {
  const text = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
  return new Set(
    [...text.matchAll(/^- `([a-z_]+\.[a-z0-9_]+)`/gm)].map(
      (m) => m[1] as string,
    ),
  );
}

describe('error catalogue', () => {
  it('documents every error code the source declares', () => {
    const documented = documentedCodes();
    expect(
      [...declaredCodes()].filter((code) => !documented.has(code)),
    ).toEqual([]);
  });

  it('lists no code that the source no longer has', () => {
    const all = sources().join('\n');
    expect(
      [...documentedCodes()].filter((code) => !all.includes(`'${code}'`)),
    ).toEqual([]);
  });
});
