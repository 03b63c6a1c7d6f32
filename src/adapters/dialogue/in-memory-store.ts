// An in-memory store of one customer's records and the sessions' dialogue
// state: what `loandesk chat` loads a scenario's setup into. The SQL store
// replaces it behind the same two reads and one write.
import { initialDialogueState } from '../../domain/dialogue/policy/state.js';
import type {
  CustomerData,
  DialogueState,
} from '../../domain/dialogue/policy/types.js';

export class InMemoryDialogueStore {
  readonly #data: CustomerData;
  readonly #sessions = new Map<string, DialogueState>();

  constructor(data: CustomerData) {
    this.#data = data;
  }

  customerData(): CustomerData {
    return this.#data;
  }

  /** The session's state, or a fresh one for a new session. */
  sessionState(sessionId: string): DialogueState {
    return this.#sessions.get(sessionId) ?? initialDialogueState();
  }

  saveSessionState(sessionId: string, state: DialogueState): void {
    this.#sessions.set(sessionId, state);
  }
}
