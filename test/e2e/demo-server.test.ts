// Proves the README's start path: `loandesk serve --demo` on an empty data
// directory migrates a SQLite file, seeds the demo book, prints each demo
// user's password once, serves the API with those users, stops gracefully
// on SIGTERM, and on restart keeps the data without seeding again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'loandesk-demo-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('serve --demo', () => {
  it('seeds the demo book once and serves it to the demo users', async () => {
    const server = await startServer(['--demo'], {}, dataDir);
    const printed = server.output();
    expect(printed).toContain('演示数据已生成：200 位客户，500 笔贷款');
    const password = /主管\/质检\tsupervisor\t(\S+)/.exec(printed)?.[1];
    expect(password).toBeDefined();
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'supervisor', password }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const year = new Date().getFullYear();
    const loan = await fetch(`${server.url}/api/v1/loans/L${year}000001`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(loan.status).toBe(200);
    const body = (await loan.json()) as {
      customer_id: string;
      installments: unknown[];
    };
    expect(body.installments.length).toBeGreaterThan(0);
    const customer = await fetch(
      `${server.url}/api/v1/customers/${body.customer_id}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(((await customer.json()) as { phone: string }).phone).toMatch(
      /^1\d{2}\*{4}\d{4}$/,
    );
    expect(await server.stop()).toBe(0);

    const again = await startServer(['--demo'], {}, dataDir);
    expect(again.output()).not.toContain('演示数据已生成');
    const relogin = await fetch(`${again.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'supervisor', password }),
    });
    expect(relogin.status).toBe(200);
    expect(await again.stop()).toBe(0);
  }, 300_000);
});
