import { LRUCache } from 'lru-cache';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import { mayContainLongNumber } from '../../domain/compliance/pii-detect.js';
import type { CheckInput, CheckResult } from '../../domain/compliance/types.js';
import type { Nlu, NluResult } from '../../domain/dialogue/nlu/nlu.js';
import type { KnowledgeBase } from '../../domain/dialogue/policy/types.js';

// Memos of the dialogue engine's pure steps, keyed by their whole input:
// the NLU reading of a text (and today, for relative dates), the FAQ answer
// to a question, and the compliance verdict on a bot reply (text, role,
// recipient, time and the account's amounts). Borrowers ask the same short
// questions over and over; the answer to one is the same function of the
// same input every time, so a hit returns exactly what a miss computes.
//
// Values are deep-frozen: they are shared between turns, and a step that
// tried to change one would throw instead of leaking into another turn.
// Texts that may carry an ID, phone or card number are never kept (they are
// unique anyway, and personal data stays out of long-lived memory).

/** Bound: entries per memo (a few MB at most). */
export const MEMO_ENTRIES_MAX = 10_000;

/**
 * A bounded memo that forgets the least recently used entry first (lru-cache
 * underneath; values are boxed because a memo may keep `undefined`, "no
 * answer", which lru-cache treats as deletion).
 */
export class BoundedMemo<V> {
  readonly #entries: LRUCache<string, { readonly value: V }>;
  hits = 0;
  misses = 0;

  constructor(max: number = MEMO_ENTRIES_MAX) {
    this.#entries = new LRUCache({ max });
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, computed by `compute` on a miss and kept. */
  get(key: string, compute: () => V): V {
    const box = this.#entries.get(key);
    if (box !== undefined) {
      this.hits += 1;
      return box.value;
    }
    this.misses += 1;
    const value = deepFreeze(compute());
    this.#entries.set(key, { value });
    return value;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value))
    return value;
  for (const key of Object.keys(value))
    deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}

export type EngineMemos = {
  readonly nlu: BoundedMemo<NluResult>;
  readonly knowledge: BoundedMemo<
    ReturnType<KnowledgeBase['answer']> | undefined
  >;
  readonly compliance: BoundedMemo<CheckResult>;
};

export function createEngineMemos(max: number = MEMO_ENTRIES_MAX): EngineMemos {
  return {
    nlu: new BoundedMemo(max),
    knowledge: new BoundedMemo(max),
    compliance: new BoundedMemo(max),
  };
}

export function memoizeNlu(nlu: Nlu, memo: EngineMemos['nlu']): Nlu {
  return {
    understand: (input) =>
      mayContainLongNumber(input.text)
        ? nlu.understand(input)
        : memo.get(`${input.today}\u0000${input.text}`, () =>
            nlu.understand(input),
          ),
  };
}

export function memoizeKnowledge(
  knowledge: KnowledgeBase,
  memo: EngineMemos['knowledge'],
): KnowledgeBase {
  return {
    answer: (question) =>
      mayContainLongNumber(question)
        ? knowledge.answer(question)
        : memo.get(question, () => knowledge.answer(question)),
  };
}

function complianceKey(input: CheckInput): string {
  const amounts = input.facts?.amountsFen.join(',') ?? '-';
  return `${input.role}\u0000${input.recipient}\u0000${input.atMinute ?? '-'}\u0000${amounts}\u0000${input.text}`;
}

export function memoizeCompliance(
  compliance: ComplianceEngine,
  memo: EngineMemos['compliance'],
): ComplianceEngine {
  return {
    version: compliance.version,
    check: (input) =>
      mayContainLongNumber(input.text)
        ? compliance.check(input)
        : memo.get(complianceKey(input), () => compliance.check(input)),
  };
}
