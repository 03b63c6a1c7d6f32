// The shipped engines of a conversation: NLU (cached weights), the
// compliance rule pack, the product catalogue and the FAQ knowledge base.
// Loading takes a few seconds (jieba and the IDF table): once per process.
import { createDialogueEngine } from '../../domain/dialogue/policy/engine.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { defaultComplianceEngine } from '../compliance/load-pack.js';
import { loadKnowledgeBase } from '../knowledge/load-knowledge.js';
import { loadNlu } from '../nlu/load-nlu.js';
import type { ConversationParts } from './chat-service.js';
import {
  createEngineMemos,
  type EngineMemos,
  memoizeCompliance,
  memoizeKnowledge,
  memoizeNlu,
} from './memo.js';

export type ConversationPartsOptions = {
  /**
   * Memoize the engine's pure steps (NLU, FAQ retrieval, the compliance
   * gate on bot replies; see memo.ts). Default true; benchmarks turn it off
   * to measure the engine cold.
   */
  readonly memo?: boolean;
};

export function loadConversationParts(
  options: ConversationPartsOptions = {},
): ConversationParts & { readonly memos?: EngineMemos } {
  const compliance = defaultComplianceEngine();
  const knowledge = loadKnowledgeBase();
  const nlu = loadNlu().nlu;
  const memos = options.memo === false ? undefined : createEngineMemos();
  const engine = createDialogueEngine({
    nlu: memos === undefined ? nlu : memoizeNlu(nlu, memos.nlu),
    // The gate of every bot reply; agents' drafts (parts.compliance) are
    // checked unmemoized.
    compliance:
      memos === undefined
        ? compliance
        : memoizeCompliance(compliance, memos.compliance),
    catalogue: loadCatalogue(),
    // FAQ retrieval answers general questions first; below its calibrated
    // threshold the bot's own short replies answer.
    knowledge:
      memos === undefined
        ? knowledge
        : memoizeKnowledge(knowledge, memos.knowledge),
  });
  return {
    engine,
    compliance,
    knowledge,
    ...(memos === undefined ? {} : { memos }),
  };
}

/** Loads on first use and keeps the result. */
export function lazyConversationParts(
  load: () => ConversationParts = loadConversationParts,
): () => ConversationParts {
  let parts: ConversationParts | undefined;
  return () => {
    parts ??= load();
    return parts;
  };
}
