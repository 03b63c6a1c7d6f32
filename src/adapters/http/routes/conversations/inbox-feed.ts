// The agents' inbox push: one subscription to the chat hub per instance;
// each changed conversation is read once (its inbox line, customer masked)
// and sent to every open inbox socket. Changes of one burst are coalesced.
import type {
  ConversationSummary,
  InboxServerEvent,
} from '../../../../contracts/chat.js';
import type { ChatHub, InboxChange } from '../../../chat/chat-hub.js';

export type InboxSocket = (event: InboxServerEvent) => void;

export class InboxFeed {
  readonly #hub: ChatHub;
  readonly #summaryOf: (
    conversationId: string,
  ) => Promise<ConversationSummary | undefined>;
  readonly #onError: (error: unknown) => void;
  readonly #sockets = new Set<InboxSocket>();
  readonly #pending = new Set<string>();
  #resync = false;
  #running = false;
  #unsubscribe: (() => void) | undefined;

  constructor(
    hub: ChatHub,
    summaryOf: (
      conversationId: string,
    ) => Promise<ConversationSummary | undefined>,
    onError: (error: unknown) => void,
  ) {
    this.#hub = hub;
    this.#summaryOf = summaryOf;
    this.#onError = onError;
  }

  /** Adds a socket; returns its removal, or undefined when the hub is full. */
  add(socket: InboxSocket): (() => void) | undefined {
    if (this.#unsubscribe === undefined) {
      this.#unsubscribe = this.#hub.subscribeInbox((change) =>
        this.#changed(change),
      );
      if (this.#unsubscribe === undefined) return undefined;
    }
    this.#sockets.add(socket);
    return () => {
      this.#sockets.delete(socket);
      if (this.#sockets.size === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
        this.#pending.clear();
      }
    };
  }

  #changed(change: InboxChange): void {
    if (change.type === 'resync') this.#resync = true;
    else this.#pending.add(change.conversationId);
    if (this.#running) return;
    this.#running = true;
    setImmediate(() => {
      this.#drain().catch(this.#onError);
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#resync || this.#pending.size > 0) {
        if (this.#resync) {
          this.#resync = false;
          this.#send({ type: 'resync' });
        }
        const ids = [...this.#pending];
        this.#pending.clear();
        for (const id of ids) {
          if (this.#sockets.size === 0) return;
          const conversation = await this.#summaryOf(id);
          if (conversation !== undefined)
            this.#send({ type: 'conversation', conversation });
        }
      }
    } finally {
      this.#running = false;
    }
  }

  #send(event: InboxServerEvent): void {
    for (const socket of this.#sockets) socket(event);
  }
}
