// Proves the reminder dispatcher end to end through the HTTP API on every
// dialect: reminders the end-of-day batch left pending are rendered, gated
// by the contact policy (quiet hours → deferred), the daily cap and the
// compliance engine (a violating template → suppressed with its rule), and
// delivered once — reruns, retries after a gateway failure and a crash
// between the provider call and the status update never send twice. The
// outbox API shows every message with the recipient masked.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES_FILE } from '../../src/adapters/channels/load-channel-content.js';
import {
  type ChannelProvider,
  createHttpSmsProvider,
  createInAppProvider,
  createSmsOutboxProvider,
} from '../../src/adapters/channels/providers.js';
import { DIALECTS, testCipher } from '../db/dialects.js';
import {
  type ChannelWorld,
  insertReminder,
  openChannelWorld,
} from '../helpers/channels.js';

type OutboxRow = {
  id: string;
  channel: string;
  status: string;
  rule: string | null;
  reason: string | null;
  recipient: string;
  body: string;
  not_before: string;
  attempts: number;
  source_id: string;
};

const systemNow = () => new Date().toISOString();

describe.each(DIALECTS)('reminder dispatch on %s', (dialect) => {
  let world: ChannelWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function dispatch(w: ChannelWorld, now: string) {
    const response = await w.app.inject({
      method: 'POST',
      url: '/api/v1/reminders/dispatch',
      headers: w.headers('supervisor'),
      payload: { now },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Record<string, number>;
  }

  async function outbox(w: ChannelWorld, query = ''): Promise<OutboxRow[]> {
    const response = await w.app.inject({
      method: 'GET',
      url: `/api/v1/outbox${query}`,
      headers: w.headers('supervisor'),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as OutboxRow[];
  }

  async function smsOutboxRows(w: ChannelWorld) {
    return w.database.db.selectFrom('sms_outbox').selectAll().execute();
  }

  it('defers at 07:30, sends once at 09:00, and a rerun sends nothing new', async () => {
    const w = await openChannelWorld(dialect);
    world = w;
    const reminderId = await insertReminder(w, {
      kind: 'due_day',
      forDate: '2026-12-10',
      amountFen: 432_109n,
    });

    const early = await dispatch(w, '2026-12-10T07:30:00+08:00');
    expect(early).toMatchObject({ reminders: 1, deferred: 2, sent: 0 });
    const deferred = await outbox(w);
    expect(deferred.map((m) => [m.channel, m.status, m.rule]).sort()).toEqual([
      ['app', 'deferred', 'COL-01'],
      ['sms', 'deferred', 'COL-01'],
    ]);
    // Deferred to the end of the quiet window: 08:00 Beijing time.
    expect(deferred[0]?.not_before).toBe('2026-12-10T00:00:00.000Z');
    expect(await smsOutboxRows(w)).toHaveLength(0);

    const onTime = await dispatch(w, '2026-12-10T09:00:00+08:00');
    expect(onTime).toMatchObject({ reminders: 0, queued: 2, sent: 2 });
    const sent = await outbox(w);
    expect(sent.map((m) => m.status)).toEqual(['sent', 'sent']);
    const sms = sent.find((m) => m.channel === 'sms');
    expect(sms?.recipient).toBe('138****1111');
    expect(sms?.body).toContain('王*明');
    expect(sms?.body).toContain('4321.09元');
    expect(sms?.body).not.toContain('王小明');
    const rows = await smsOutboxRows(w);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.phone_masked).toBe('138****1111');
    expect(rows[0]?.phone_enc).not.toContain('13800001111');
    const inbox = await w.app.inject({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}/inbox`,
      headers: w.headers('agent'),
    });
    expect(inbox.json()).toHaveLength(1);

    for (const again of [
      '2026-12-10T09:00:00+08:00',
      '2026-12-10T09:30:00+08:00',
    ]) {
      const rerun = await dispatch(w, again);
      expect(rerun).toMatchObject({ reminders: 0, queued: 0, sent: 0 });
    }
    expect(await smsOutboxRows(w)).toHaveLength(1);
    const reminders = await w.app.inject({
      method: 'GET',
      url: '/api/v1/reminders?for_date=2026-12-10',
      headers: w.headers('supervisor'),
    });
    expect(reminders.json()).toEqual([
      expect.objectContaining({
        id: reminderId,
        status: 'dispatched',
        amount: '4321.09',
      }),
    ]);
    // Each sent SMS is a contact in the borrower's log (COL-02 counters).
    const contacts = await w.repositories.collections.listContactsSince(
      w.customerId,
      '2026-12-10T00:00:00+08:00',
    );
    expect(contacts.map((c) => [c.channel, c.outcome])).toEqual([
      ['sms', 'sent'],
    ]);
  });

  it('refuses the outbox to a collector and to an anonymous caller', async () => {
    const w = await openChannelWorld(dialect);
    world = w;
    const collector = await w.app.inject({
      method: 'GET',
      url: '/api/v1/outbox',
      headers: w.headers('collector'),
    });
    expect(collector.statusCode).toBe(403);
    const anonymous = await w.app.inject({
      method: 'POST',
      url: '/api/v1/reminders/dispatch',
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('suppresses a message that fails the compliance engine and keeps the rule', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'loandesk-templates-'));
    const file = join(directory, 'reminders.yaml');
    const shipped = readFileSync(DEFAULT_TEMPLATES_FILE, 'utf8');
    const original =
      '"{{signature}}尊敬的{{name}}，您的贷款第{{installment_n}}期已逾期{{days_past_due}}天';
    expect(shipped).toContain(original);
    writeFileSync(
      file,
      shipped.replace(
        original,
        '"{{signature}}{{name}}，再不还钱我们就去你单位找你，让你全家都知道。您的贷款第{{installment_n}}期已逾期{{days_past_due}}天',
      ),
    );
    const w = await openChannelWorld(dialect, { templatesFile: file });
    world = w;
    await insertReminder(w, {
      kind: 'overdue_m1',
      forDate: '2026-12-10',
      amountFen: 1_050_000n,
      daysPastDue: 5,
    });
    const summary = await dispatch(w, '2026-12-10T10:00:00+08:00');
    expect(summary).toMatchObject({ suppressed: 1, sent: 1 });
    const [sms] = await outbox(w, '?channel=sms');
    expect(sms?.status).toBe('suppressed');
    expect(sms?.rule).toMatch(/^threat\.|^third_party\./);
    expect(sms?.reason).toContain('合规检查未通过');
    expect(await smsOutboxRows(w)).toHaveLength(0);
    const [app] = await outbox(w, '?channel=app');
    expect(app?.status).toBe('sent');
  });

  it('defers the third message of a day on one channel, and drops it as stale the next morning', async () => {
    const w = await openChannelWorld(dialect);
    world = w;
    for (const kind of ['due_day', 'pre_due_1', 'promise_broken'])
      await insertReminder(w, {
        kind,
        forDate: '2026-12-10',
        amountFen: 10_000n,
      });
    const summary = await dispatch(w, '2026-12-10T10:00:00+08:00');
    const sms = await outbox(w, '?channel=sms');
    expect(sms.map((m) => m.status).sort()).toEqual([
      'deferred',
      'sent',
      'sent',
    ]);
    const held = sms.find((m) => m.status === 'deferred');
    expect(held?.rule).toBe('COL-02');
    expect(held?.not_before).toBe('2026-12-11T00:00:00.000Z');
    // The in-app channel has the same cap: one of its three waits too.
    expect(summary.deferred).toBe(2);
    // By then its wording and amount are a day old: dropped as stale, not
    // sent (the next end-of-day batch writes a fresh reminder).
    const nextDay = await dispatch(w, '2026-12-11T08:05:00+08:00');
    expect(nextDay).toMatchObject({ sent: 0, suppressed: 2 });
    const [stale] = await outbox(w, '?channel=sms&status=suppressed');
    expect(stale?.rule).toBe('stale');
    expect(await smsOutboxRows(w)).toHaveLength(2);
  });

  it('retries after an SMS gateway failure with backoff and sends once', async () => {
    const requests: { key: string | undefined; body: unknown }[] = [];
    const server: Server = createServer(
      (request: IncomingMessage, response) => {
        let text = '';
        request.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        request.on('end', () => {
          requests.push({
            key: request.headers['idempotency-key'] as string | undefined,
            body: JSON.parse(text),
          });
          if (requests.length === 1) {
            response.writeHead(503).end('busy');
          } else {
            response
              .writeHead(200, { 'content-type': 'application/json' })
              .end(JSON.stringify({ id: `gw-${requests.length}` }));
          }
        });
      },
    );
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    const address = server.address();
    const port =
      typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const w = await openChannelWorld(dialect, {
        providers: (t) => ({
          sms: createHttpSmsProvider({ url: `http://127.0.0.1:${port}/send` }),
          app: createInAppProvider(t.db, systemNow),
        }),
      });
      world = w;
      await insertReminder(w, {
        kind: 'pre_due_1',
        forDate: '2026-12-09',
        dueDate: '2026-12-10',
        amountFen: 99_999n,
      });
      const first = await dispatch(w, '2026-12-09T10:00:00+08:00');
      expect(first).toMatchObject({ retrying: 1, sent: 1 });
      const [retrying] = await outbox(w, '?channel=sms');
      expect(retrying).toMatchObject({ status: 'retrying', attempts: 1 });
      expect(retrying?.reason).toContain('503');
      // Backoff: the first retry waits 60 s.
      expect(retrying?.not_before).toBe('2026-12-09T02:01:00.000Z');
      const tooSoon = await dispatch(w, '2026-12-09T10:00:30+08:00');
      expect(tooSoon.sent).toBe(0);
      expect(requests).toHaveLength(1);
      const second = await dispatch(w, '2026-12-09T10:01:00+08:00');
      expect(second.sent).toBe(1);
      await dispatch(w, '2026-12-09T10:30:00+08:00');
      expect(requests).toHaveLength(2);
      expect(requests[0]?.key).toBe(retrying?.id);
      expect(requests[1]?.key).toBe(retrying?.id);
      expect(requests[1]?.body).toMatchObject({
        to: '13800001111',
        client_ref: retrying?.id,
      });
      const [sent] = await outbox(w, '?channel=sms');
      expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('resends an SMS interrupted between the provider call and the status update exactly once', async () => {
    // 1. A provider that writes the outbox row and then "crashes" the run
    //    (throws before the dispatcher records `sent`).
    let crash = true;
    const w = await openChannelWorld(dialect, {
      providers: (t) => {
        const outboxProvider = createSmsOutboxProvider(
          t.db,
          testCipher(),
          systemNow,
        );
        const crashing: ChannelProvider = {
          ...outboxProvider,
          send: async (envelope) => {
            const outcome = await outboxProvider.send(envelope);
            if (crash) throw new Error('simulated crash after send');
            return outcome;
          },
        };
        return { sms: crashing, app: createInAppProvider(t.db, systemNow) };
      },
    });
    world = w;
    await insertReminder(w, {
      kind: 'due_day',
      forDate: '2026-12-10',
      amountFen: 5_000n,
    });
    const crashed = await w.app.inject({
      method: 'POST',
      url: '/api/v1/reminders/dispatch',
      headers: w.headers('supervisor'),
      payload: { now: '2026-12-10T10:00:00+08:00' },
    });
    expect(crashed.statusCode).toBe(500);
    const [stuck] = await outbox(w, '?channel=sms');
    expect(stuck?.status).toBe('sending');
    expect(await smsOutboxRows(w)).toHaveLength(1);
    // 2. Within the lease nothing touches it; after it, the idempotent
    //    provider is called again with the same message id.
    crash = false;
    const within = await dispatch(w, '2026-12-10T10:02:00+08:00');
    expect(within.recovered).toBe(0);
    const after = await dispatch(w, '2026-12-10T10:10:00+08:00');
    expect(after).toMatchObject({ recovered: 1, sent: 1 });
    const [done] = await outbox(w, '?channel=sms');
    expect(done).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await smsOutboxRows(w)).toHaveLength(1);
  });
});
