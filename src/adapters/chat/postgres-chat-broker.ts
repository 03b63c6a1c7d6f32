// The chat broker of a multi-instance deployment on PostgreSQL: LISTEN on
// one dedicated connection (not from the pool: a pooled client is handed to
// other queries), NOTIFY through the pool. A payload is a JSON envelope of
// the sending instance's id and its notes (ids only), split so each stays
// under PostgreSQL's 8000-byte NOTIFY limit. A lost listening connection is
// re-opened with exponential backoff; notes sent meanwhile are lost, which
// the hub reports to the inbox feed (`reconnected`) so agents reload.
import pg from 'pg';
import type { BrokerNote, ChatBroker } from './chat-hub.js';

export const CHAT_CHANNEL_DEFAULT = 'loandesk_chat';
/** application_name of the listening connection (pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'loandesk-chat-listener';
// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; keep a margin.
export const NOTIFY_PAYLOAD_BYTES_MAX = 7_900;
const RECONNECT_MS_MIN = 250;
const RECONNECT_MS_MAX = 30_000;
const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

type Envelope = { readonly i: string; readonly n: readonly BrokerNote[] };

export type PostgresChatBrokerOptions = {
  /** The listening connection's settings (DATABASE_URL, search_path). */
  readonly client: pg.ClientConfig;
  /** Runs `SELECT pg_notify($1, $2)` (through the application's pool). */
  readonly notify: (channel: string, payload: string) => Promise<void>;
  /** The hub's instance id: this instance's own notes are skipped. */
  readonly instanceId: string;
  readonly channel?: string;
  readonly onError?: (error: unknown, context: string) => void;
};

/** Splits notes into envelopes that each fit one NOTIFY payload. */
export function envelopesOf(
  instanceId: string,
  notes: readonly BrokerNote[],
  bytesMax: number = NOTIFY_PAYLOAD_BYTES_MAX,
): string[] {
  const out: string[] = [];
  let batch: BrokerNote[] = [];
  const encode = (n: readonly BrokerNote[]) =>
    JSON.stringify({ i: instanceId, n } satisfies Envelope);
  const fits = (n: readonly BrokerNote[]) =>
    Buffer.byteLength(encode(n), 'utf8') <= bytesMax;
  const push = (note: BrokerNote) => {
    if (fits([...batch, note])) {
      batch.push(note);
      return;
    }
    if (batch.length > 0) out.push(encode(batch));
    batch = [note];
  };
  for (const note of notes) {
    if (fits([note])) {
      push(note);
      continue;
    }
    // One note too large on its own (hundreds of message ids): split its
    // ids over several notes; the state flag rides on the last one.
    const ids = note.m ?? [];
    let part: string[] = [];
    for (const id of ids) {
      if (part.length > 0 && !fits([{ c: note.c, m: [...part, id] }])) {
        push({ c: note.c, m: part });
        part = [];
      }
      part.push(id);
    }
    push({ c: note.c, m: part, ...(note.s === 1 ? { s: 1 as const } : {}) });
  }
  if (batch.length > 0) out.push(encode(batch));
  return out;
}

function parseEnvelope(payload: string | undefined): Envelope | undefined {
  if (payload === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const envelope = parsed as { i?: unknown; n?: unknown } | null;
  if (typeof envelope?.i !== 'string' || !Array.isArray(envelope.n))
    return undefined;
  const notes: BrokerNote[] = [];
  for (const item of envelope.n as unknown[]) {
    const note = item as { c?: unknown; m?: unknown; s?: unknown } | null;
    if (typeof note?.c !== 'string') continue;
    const ids = Array.isArray(note.m)
      ? note.m.filter((id): id is string => typeof id === 'string')
      : [];
    notes.push({
      c: note.c,
      ...(ids.length === 0 ? {} : { m: ids }),
      ...(note.s === 1 ? { s: 1 as const } : {}),
    });
  }
  return { i: envelope.i, n: notes };
}

export class PostgresChatBroker implements ChatBroker {
  readonly #options: PostgresChatBrokerOptions;
  readonly #channel: string;
  #client: pg.Client | undefined;
  #closed = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> = Promise.resolve();
  #handlers: Parameters<ChatBroker['start']>[0] | undefined;
  /** Connections opened so far (the first one and every reconnection). */
  connections = 0;

  constructor(options: PostgresChatBrokerOptions) {
    const channel = options.channel ?? CHAT_CHANNEL_DEFAULT;
    if (!CHANNEL_PATTERN.test(channel))
      throw new Error(`invalid NOTIFY channel ${channel}`);
    this.#options = options;
    this.#channel = channel;
  }

  async start(handlers: Parameters<ChatBroker['start']>[0]): Promise<void> {
    this.#handlers = handlers;
    await this.#connect();
  }

  send(notes: readonly BrokerNote[]): void {
    if (this.#closed || notes.length === 0) return;
    // One NOTIFY at a time: pooled connections would commit them in any
    // order, and a state must not overtake the message before it.
    for (const payload of envelopesOf(this.#options.instanceId, notes))
      this.#sending = this.#sending.then(() =>
        this.#options
          .notify(this.#channel, payload)
          .catch((error: unknown) => this.#report(error, 'notify')),
      );
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#sending;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    if (client !== undefined) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }

  /** Drops the listening connection as a network failure would (tests). */
  dropConnection(): void {
    const client = this.#client;
    if (client === undefined) return;
    client.emit('error', new Error('connection dropped'));
  }

  #report(error: unknown, context: string): void {
    this.#options.onError?.(error, context);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({
      application_name: LISTENER_APPLICATION_NAME,
      ...this.#options.client,
    });
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      this.#report(error, 'listen');
      if (this.#client === client) this.#client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end().catch(() => undefined);
      this.#schedule();
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel !== this.#channel) return;
      const envelope = parseEnvelope(message.payload);
      if (envelope === undefined || envelope.i === this.#options.instanceId)
        return;
      this.#handlers?.receive(envelope.n);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.#channel}`);
    } catch (error) {
      fail(error);
      return;
    }
    if (this.#closed) {
      client.removeAllListeners();
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.connections += 1;
    const reconnected = this.#attempt > 0;
    this.#attempt = 0;
    if (reconnected) this.#handlers?.reconnected();
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    const ceiling = Math.min(
      RECONNECT_MS_MAX,
      RECONNECT_MS_MIN * 2 ** this.#attempt,
    );
    this.#attempt += 1;
    // Full jitter: instances that lost the server together do not return
    // together.
    const delay = Math.max(RECONNECT_MS_MIN, Math.random() * ceiling);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, delay);
  }
}
