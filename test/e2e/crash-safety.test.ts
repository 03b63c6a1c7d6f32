// Proves no payment is lost or applied twice across a crash: a client posts
// repayments with idempotency keys, the server process is killed (SIGKILL)
// in the middle, restarted on the same SQLite file, and the client retries
// every request with its key, as a payment gateway would. Afterwards the
// ledger holds exactly one payment per key and the installments' paid
// amounts add up to exactly what was sent. Run with each SQLite commit sync
// of the server (LOANDESK_SQLITE_COMMIT_SYNC): `full` and `background`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/adapters/db/storage.js';
import { hashPassword } from '../../src/adapters/security/passwords.js';
import { scheduleOf } from '../db/fixtures.js';
import { startServer } from '../helpers/server-process.js';

const PAYMENTS = 40;
const PASSWORD = 'crash test password';
const directories: string[] = [];

afterAll(() => {
  for (const directory of directories)
    rmSync(directory, { recursive: true, force: true });
});

async function seed(env: NodeJS.ProcessEnv): Promise<void> {
  const storage = await openStorage({ env });
  const r = storage.repositories;
  await r.users.create(
    {
      username: 'cashier',
      displayName: '出纳',
      passwordHash: await hashPassword(PASSWORD),
      roles: ['supervisor'],
    },
    'test',
  );
  const customer = await r.customers.create(
    { name: '李四', idNumber: '110105199001011237', phone: '13900002222' },
    'test',
  );
  if (!customer.ok) throw new Error(customer.error.code);
  const schedule = scheduleOf(100_000n, 24);
  await r.loans.createFromSchedule(
    {
      loanNo: 'L202601777',
      customerId: customer.value.id,
      schedule,
    },
    'test',
  );
  await storage.close();
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'cashier', password: PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function pay(url: string, token: string, i: number): Promise<number> {
  const response = await fetch(`${url}/api/v1/loans/L202601777/payments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': `crash-test-${i}`,
    },
    body: JSON.stringify({
      amount: '10.00',
      paid_on: '2026-02-10',
      channel: 'bank_transfer',
    }),
  });
  return response.status;
}

describe.each(['full', 'background'] as const)(
  'crash safety with commit sync %s',
  (commitSync) => {
    it('keeps exactly one payment per key when the server is killed mid-stream', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'loandesk-crash-'));
      directories.push(dataDir);
      const env = {
        ...process.env,
        LOANDESK_DATA_DIR: dataDir,
        DATABASE_URL: '',
        LOANDESK_SQLITE_COMMIT_SYNC: commitSync,
      };
      await seed(env);
      const first = await startServer([], env, dataDir);
      const token = await login(first.url);
      const inFlight: Promise<number | 'lost'>[] = [];
      for (let i = 0; i < PAYMENTS; i += 1) {
        inFlight.push(pay(first.url, token, i).catch(() => 'lost' as const));
        if (i === PAYMENTS / 2) first.process.kill('SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const before = await Promise.all(inFlight);
      expect(before).toContain('lost');
      await first.stop();

      const second = await startServer([], env, dataDir);
      const retryToken = await login(second.url);
      const after: number[] = [];
      for (let i = 0; i < PAYMENTS; i += 1)
        after.push(await pay(second.url, retryToken, i));
      expect(after.every((status) => status === 200)).toBe(true);
      await second.stop();

      const storage = await openStorage({ env });
      const payments = await storage.db
        .selectFrom('payments')
        .select(['amount_fen'])
        .execute();
      const keys = await storage.db
        .selectFrom('idempotency_keys')
        .select('key')
        .execute();
      const installments = await storage.db
        .selectFrom('installments')
        .select([
          'paid_principal_fen',
          'paid_interest_fen',
          'paid_fee_fen',
          'paid_penalty_fen',
        ])
        .execute();
      await storage.close();
      expect(payments).toHaveLength(PAYMENTS);
      expect(new Set(keys.map((k) => k.key)).size).toBe(PAYMENTS);
      const paidFen = installments.reduce(
        (sum, row) =>
          sum +
          BigInt(row.paid_principal_fen) +
          BigInt(row.paid_interest_fen) +
          BigInt(row.paid_fee_fen) +
          BigInt(row.paid_penalty_fen),
        0n,
      );
      expect(paidFen).toBe(BigInt(PAYMENTS) * 1000n);
    }, 300_000);
  },
);
