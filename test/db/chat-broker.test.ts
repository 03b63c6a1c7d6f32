// The PostgreSQL chat broker on its own: notes far larger than one NOTIFY
// payload (8000 bytes) are split, every id arrives once and in order on the
// other instance, the state flag rides on the last part, the sender never
// hears itself, and a broker keeps its place after its connection is killed.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerNote } from '../../src/adapters/chat/chat-hub.js';
import {
  envelopesOf,
  NOTIFY_PAYLOAD_BYTES_MAX,
  PostgresChatBroker,
} from '../../src/adapters/chat/postgres-chat-broker.js';
import {
  type DatabaseHandle,
  openDatabase,
} from '../../src/adapters/db/kysely-database.js';
import { DIALECTS, TEST_PG_URL } from './dialects.js';

const PG = DIALECTS.filter((d) => d === 'postgres');

describe.each(PG)('chat broker on %s', () => {
  // A channel of this test's own: parallel suites never hear it.
  const channel = `chat_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let handle: DatabaseHandle;
  const brokers: PostgresChatBroker[] = [];
  const heard: { by: number; notes: readonly BrokerNote[] }[] = [];
  let reconnects = 0;

  beforeAll(async () => {
    handle = openDatabase(TEST_PG_URL);
    for (let n = 0; n < 2; n++) {
      const broker = new PostgresChatBroker({
        client: { connectionString: TEST_PG_URL },
        instanceId: `instance-${n}`,
        channel,
        notify: async (c, payload) => {
          await sql`SELECT pg_notify(${c}, ${payload})`.execute(handle.db);
        },
      });
      await broker.start({
        receive: (notes) => heard.push({ by: n, notes }),
        reconnected: () => {
          reconnects += 1;
        },
      });
      brokers.push(broker);
    }
  });

  afterAll(async () => {
    for (const broker of brokers) await broker.close();
    await handle?.db.destroy();
  });

  const settle = async (test: () => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!test() && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
  };

  it('splits notes over payloads under the limit; the other instance gets every id once, in order', async () => {
    const ids = Array.from(
      { length: 900 },
      (_, i) => `msg_${randomUUID()}_${i}`,
    );
    const notes: BrokerNote[] = [
      { c: 'conv_big', m: ids, s: 1 },
      { c: 'conv_small', s: 1 },
    ];
    const payloads = envelopesOf('instance-0', notes);
    expect(payloads.length).toBeGreaterThan(3);
    for (const payload of payloads)
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(
        NOTIFY_PAYLOAD_BYTES_MAX,
      );
    brokers[0]?.send(notes);
    const got = () => heard.filter((h) => h.by === 1).flatMap((h) => h.notes);
    await settle(() => got().some((n) => n.c === 'conv_small'));
    const big = got().filter((n) => n.c === 'conv_big');
    expect(big.flatMap((n) => n.m ?? [])).toEqual(ids);
    expect(big.map((n) => n.s === 1)).toEqual(
      big.map((_, i) => i === big.length - 1),
    );
    expect(got().find((n) => n.c === 'conv_small')).toEqual({
      c: 'conv_small',
      s: 1,
    });
    // The sender does not hear itself.
    expect(heard.filter((h) => h.by === 0)).toEqual([]);
  });

  it('reconnects after its connection is killed and hears again', async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE query = $1`,
        [`LISTEN ${channel}`],
      );
    } finally {
      await admin.end();
    }
    await settle(() => reconnects >= 2);
    expect(reconnects).toBe(2);
    heard.length = 0;
    brokers[1]?.send([{ c: 'conv_after', m: ['msg_after'] }]);
    await settle(() => heard.length > 0);
    expect(heard).toEqual([
      { by: 0, notes: [{ c: 'conv_after', m: ['msg_after'] }] },
    ]);
  });
});
