// Fan-out of chat events: to the borrower WebSockets open on a conversation
// and to the agents' inbox sockets, on this server instance and, through a
// broker, on every other instance sharing the database. Local listeners get
// the event at once; the broker carries only ids (conversation, message) and
// each receiving instance reads the rows itself, so a payload stays small
// and nothing but ids travels outside the database.
import { randomUUID } from 'node:crypto';
import type {
  ChatMessage,
  ChatServerEvent,
  ChatState,
} from '../../contracts/chat.js';

export type ChatListener = (event: ChatServerEvent) => void;

/** Something changed on this conversation's line in the agents' inbox. */
export type InboxListener = (change: InboxChange) => void;

export type InboxChange =
  | { readonly type: 'conversation'; readonly conversationId: string }
  /** The broker was down for a while: changes may have been missed. */
  | { readonly type: 'resync' };

// Bound: tabs one borrower may keep open on one conversation.
export const LISTENERS_PER_CONVERSATION_MAX = 16;
// Bound: agents' inbox sockets on one instance.
export const INBOX_LISTENERS_MAX = 1_000;

/**
 * One change, as the broker carries it: the conversation, the ids of new
 * messages (in order) and whether its state (status, verified …) changed.
 */
export type BrokerNote = {
  readonly c: string;
  readonly m?: readonly string[];
  readonly s?: 1;
};

/** Carries notes between instances (PostgreSQL LISTEN/NOTIFY). */
export interface ChatBroker {
  /** Starts listening; `receive` gets every other instance's notes. */
  start(handlers: {
    readonly receive: (notes: readonly BrokerNote[]) => void;
    /** Called after a reconnection (notes may have been lost meanwhile). */
    readonly reconnected: () => void;
  }): Promise<void>;
  send(notes: readonly BrokerNote[]): void;
  close(): Promise<void>;
}

/** Reads what a note points at, for the listeners of this instance. */
export type ChatHubLoader = {
  readonly messages: (
    conversationId: string,
    ids: readonly string[],
  ) => Promise<ChatMessage[]>;
  readonly state: (conversationId: string) => Promise<ChatState | undefined>;
};

export type ChatHubOptions = {
  /** The broker's instance id; a fresh one by default. */
  readonly instanceId?: string;
  readonly broker?: ChatBroker;
  readonly loader?: ChatHubLoader;
  readonly onError?: (error: unknown) => void;
};

export class ChatHub {
  readonly #listeners = new Map<string, Set<ChatListener>>();
  readonly #inbox = new Set<InboxListener>();
  readonly #broker: ChatBroker | undefined;
  readonly #loader: ChatHubLoader | undefined;
  readonly #onError: (error: unknown) => void;
  /** Notes of this tick, one per conversation, sent together. */
  readonly #outgoing = new Map<string, { m: string[]; s: boolean }>();
  #incoming: Promise<void> = Promise.resolve();
  /** Distinguishes this instance's notes (NOTIFY reaches the sender too). */
  readonly instanceId: string;

  constructor(options: ChatHubOptions = {}) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.#broker = options.broker;
    this.#loader = options.loader;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** True when events also reach other instances. */
  get distributed(): boolean {
    return this.#broker !== undefined;
  }

  async start(): Promise<void> {
    await this.#broker?.start({
      receive: (notes) => {
        this.#incoming = this.#incoming
          .then(() => this.#receive(notes))
          .catch(this.#onError);
      },
      reconnected: () => {
        for (const listener of this.#inbox) listener({ type: 'resync' });
      },
    });
  }

  async close(): Promise<void> {
    await this.#broker?.close();
    await this.#incoming;
  }

  /** Subscribes; returns the unsubscribe call, or undefined when full. */
  subscribe(
    conversationId: string,
    listener: ChatListener,
  ): (() => void) | undefined {
    let set = this.#listeners.get(conversationId);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(conversationId, set);
    }
    if (set.size >= LISTENERS_PER_CONVERSATION_MAX) return undefined;
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(conversationId);
    };
  }

  /** The inbox feed: every conversation change of every instance. */
  subscribeInbox(listener: InboxListener): (() => void) | undefined {
    if (this.#inbox.size >= INBOX_LISTENERS_MAX) return undefined;
    this.#inbox.add(listener);
    return () => {
      this.#inbox.delete(listener);
    };
  }

  /**
   * Sends to every listener of the conversation except `except` (here), to
   * the inbox feed, and to the other instances (ids only).
   */
  publish(
    conversationId: string,
    event: ChatServerEvent,
    except?: ChatListener,
  ): void {
    this.#deliver(conversationId, event, except);
    if (event.type !== 'message' && event.type !== 'state') return;
    for (const listener of this.#inbox)
      listener({ type: 'conversation', conversationId });
    if (this.#broker === undefined) return;
    if (this.#outgoing.size === 0) queueMicrotask(() => this.#flush());
    let note = this.#outgoing.get(conversationId);
    if (note === undefined) {
      note = { m: [], s: false };
      this.#outgoing.set(conversationId, note);
    }
    if (event.type === 'message') note.m.push(event.message.id);
    else note.s = true;
  }

  listenerCount(conversationId: string): number {
    return this.#listeners.get(conversationId)?.size ?? 0;
  }

  #deliver(
    conversationId: string,
    event: ChatServerEvent,
    except?: ChatListener,
  ): void {
    const set = this.#listeners.get(conversationId);
    if (set === undefined) return;
    for (const listener of set) if (listener !== except) listener(event);
  }

  #flush(): void {
    const notes: BrokerNote[] = [];
    for (const [c, note] of this.#outgoing)
      notes.push({
        c,
        ...(note.m.length === 0 ? {} : { m: note.m }),
        ...(note.s ? { s: 1 as const } : {}),
      });
    this.#outgoing.clear();
    this.#broker?.send(notes);
  }

  // Another instance's notes: read the rows only for the conversations
  // someone here listens to; tell the inbox feed about every one.
  async #receive(notes: readonly BrokerNote[]): Promise<void> {
    for (const note of notes) {
      const loader = this.#loader;
      if (loader !== undefined && this.listenerCount(note.c) > 0) {
        const ids = note.m ?? [];
        const messages =
          ids.length === 0 ? [] : await loader.messages(note.c, ids);
        for (const message of messages)
          this.#deliver(note.c, { type: 'message', message });
        const state = note.s === 1 ? await loader.state(note.c) : undefined;
        if (state !== undefined)
          this.#deliver(note.c, { type: 'state', state });
      }
      for (const listener of this.#inbox)
        listener({ type: 'conversation', conversationId: note.c });
    }
  }
}
