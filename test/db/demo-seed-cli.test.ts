// `loandesk demo` through the real CLI on a fresh SQLite data directory: it
// seeds the demo book (5 products, 200 customers, 500 loans, one user per
// role with a password printed once, masked people in the tables), and a
// second run leaves the data alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('loandesk demo', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loandesk-demo-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the demo book once and prints the demo accounts', {
    timeout: 180_000,
  }, () => {
    const env = { LOANDESK_DATA_DIR: dir, DATABASE_URL: '' };
    const first = runCli(['demo'], '', env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('演示数据已生成：200 位客户，500 笔贷款');
    for (const role of [
      'agent',
      'collector',
      'negotiator',
      'supervisor',
      'admin',
    ])
      expect(first.stdout).toMatch(new RegExp(`\\t${role}\\t\\S{8,}`));
    const db = new SqliteDatabase(join(dir, 'loandesk.sqlite'), {
      readonly: true,
    });
    try {
      const count = (table: string) =>
        (
          db.prepare(`select count(*) as n from ${table}`).get() as {
            n: number;
          }
        ).n;
      expect(count('products')).toBe(5);
      expect(count('customers')).toBe(200);
      expect(count('loans')).toBe(500);
      const statuses = db
        .prepare('select distinct status from loans')
        .all() as { status: string }[];
      expect(statuses.map((s) => s.status)).toEqual(
        expect.arrayContaining(['settled', 'overdue']),
      );
      // PII is encrypted at rest: no plain column, and no Chinese name in the cipher text.
      const columns = (
        db.prepare('pragma table_info(customers)').all() as { name: string }[]
      ).map((c) => c.name);
      expect(columns).not.toEqual(expect.arrayContaining(['name']));
      expect(
        columns
          .filter((c) => /phone|id_number|name/.test(c))
          .every((c) => /_(enc|bidx)$/.test(c)),
      ).toBe(true);
      const names = db
        .prepare('select name_enc from customers limit 50')
        .all() as { name_enc: string }[];
      for (const row of names)
        expect(row.name_enc).not.toMatch(/[\u4e00-\u9fff]/);
    } finally {
      db.close();
    }
    const second = runCli(['demo'], '', env);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('未重复生成演示数据');
  });
});
