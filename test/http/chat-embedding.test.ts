// Proves the borrower chat can be embedded where the operator allows it and
// nowhere else: the loader script is served, /chat may be framed by the
// configured origins, and every other page keeps refusing to be framed
// (clickjacking). How: the app built over a minimal web root, answers read
// through inject.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/adapters/http/build-app.js';

describe('chat embedding', () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'loandesk-web-'));
  let app: FastifyInstance;
  let closed: FastifyInstance;

  beforeAll(async () => {
    writeFileSync(
      join(webRoot, 'index.html'),
      '<!doctype html><title>t</title>',
    );
    writeFileSync(join(webRoot, 'widget.js'), '(() => {})();');
    app = await buildApp({
      webRoot,
      chatEmbedOrigins: ['https://www.bank.example'],
    });
    closed = await buildApp({ webRoot, chatEmbedOrigins: [] });
  });

  afterAll(async () => {
    await app?.close();
    await closed?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('lets the configured origins frame /chat only', async () => {
    const chat = await app.inject({ method: 'GET', url: '/chat?embed=1' });
    expect(chat.statusCode).toBe(200);
    expect(chat.headers['content-security-policy']).toContain(
      "frame-ancestors 'self' https://www.bank.example",
    );
    expect(chat.headers['x-frame-options']).toBeUndefined();
    const workspace = await app.inject({ method: 'GET', url: '/inbox' });
    expect(workspace.headers['content-security-policy']).toContain(
      "frame-ancestors 'self';",
    );
    expect(workspace.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('keeps /chat unframeable by other sites when no origin is configured', async () => {
    const chat = await closed.inject({ method: 'GET', url: '/chat' });
    expect(chat.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(chat.headers['content-security-policy']).not.toContain('https://');
  });

  it('serves the one-tag loader script', async () => {
    const script = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });
});
