// Proves the dependency rule of STYLE §2 holds: `src/domain` imports only
// domain modules and a short list of pure computation libraries (decimal.js
// only inside domain/money), never I/O, frameworks, adapters or the clock;
// `src/contracts` imports nothing but itself and TypeBox. How: every import specifier and
// every clock/randomness call in those trees is read from the source text and
// checked; a fixture tree that breaks each rule proves the check can fail.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Pure computation libraries the domain may use, and why.
const DOMAIN_PACKAGES: Record<string, string> = {
  '@node-rs/jieba': 'Chinese word segmentation for the NLU',
  'opencc-js': 'traditional → simplified conversion tables',
};
const TEST_PACKAGES = new Set(['vitest', 'fast-check']);

function sourceFiles(dir: string): string[] {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => join(dir, file));
}

function importsOf(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g,
  )) {
    if (match[1] !== undefined) specifiers.push(match[1]);
  }
  for (const match of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) {
    if (match[1] !== undefined) specifiers.push(match[1]);
  }
  return specifiers;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@')
    ? parts.slice(0, 2).join('/')
    : (parts[0] ?? specifier);
}

/** Every violation of the rule under `root` (a tree laid out like the repo). */
function violations(root: string): string[] {
  const found: string[] = [];
  const domain = join(root, 'src/domain');
  for (const file of sourceFiles(domain)) {
    const name = relative(root, file);
    const text = readFileSync(file, 'utf8');
    const isTest = file.endsWith('.test.ts');
    for (const specifier of importsOf(text)) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (
          !target.startsWith(domain) &&
          !(isTest && target.includes(`${join(root, 'test')}`)) &&
          !target.startsWith(join(root, 'src/contracts'))
        ) {
          found.push(`${name} imports ${specifier} outside the domain`);
        }
        continue;
      }
      const pkg = packageName(specifier);
      if (pkg === 'decimal.js') {
        if (!file.startsWith(join(domain, 'money')))
          found.push(`${name} imports decimal.js outside domain/money`);
      } else if (
        DOMAIN_PACKAGES[pkg] === undefined &&
        !(isTest && TEST_PACKAGES.has(pkg))
      ) {
        found.push(`${name} imports ${specifier}`);
      }
    }
    if (!isTest) {
      const code = text.replace(/\/\/.*$/gm, '');
      for (const call of [
        'Date.now(',
        'new Date(',
        'Math.random(',
        'randomUUID(',
        'process.env',
      ]) {
        if (code.includes(call))
          found.push(
            `${name} calls ${call.replace('(', '')}: domain receives time, ids and config`,
          );
      }
    }
  }
  for (const file of sourceFiles(join(root, 'src/contracts'))) {
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      if (
        !specifier.startsWith('./') &&
        !specifier.startsWith('@sinclair/typebox')
      )
        found.push(
          `${relative(root, file)} imports ${specifier}: contracts stay pure`,
        );
    }
  }
  return found;
}

describe('dependency rule', () => {
  it('holds for the whole source tree', () => {
    expect(violations(ROOT)).toEqual([]);
  });

  it('catches I/O, frameworks, adapters, misplaced decimal.js and the clock in a fixture', () => {
    const found = violations(join(ROOT, 'test/fixtures/architecture'));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('imports node:fs'),
        expect.stringContaining('imports kysely'),
        expect.stringContaining('decimal.js outside domain/money'),
        expect.stringContaining('../../adapters/thing.js outside the domain'),
        expect.stringContaining('calls Date.now'),
        expect.stringContaining('calls Math.random'),
      ]),
    );
  });
});
