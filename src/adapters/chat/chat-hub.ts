// In-process fan-out of chat events to the WebSockets open on a
// conversation (one server process; a multi-process deployment would put a
// broker such as PostgreSQL LISTEN/NOTIFY behind the same two calls).
import type { ChatServerEvent } from '../../contracts/chat.js';

export type ChatListener = (event: ChatServerEvent) => void;

// Bound: tabs one borrower may keep open on one conversation.
export const LISTENERS_PER_CONVERSATION_MAX = 16;

export class ChatHub {
  readonly #listeners = new Map<string, Set<ChatListener>>();

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

  /** Sends to every listener of the conversation except `except`. */
  publish(
    conversationId: string,
    event: ChatServerEvent,
    except?: ChatListener,
  ): void {
    const set = this.#listeners.get(conversationId);
    if (set === undefined) return;
    for (const listener of set) if (listener !== except) listener(event);
  }

  listenerCount(conversationId: string): number {
    return this.#listeners.get(conversationId)?.size ?? 0;
  }
}
