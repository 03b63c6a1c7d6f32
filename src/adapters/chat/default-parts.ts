// The shipped engines of a conversation: NLU (cached weights), the
// compliance rule pack, the product catalogue and the FAQ knowledge base.
// Loading takes a few seconds (jieba and the IDF table): once per process.
import { createDialogueEngine } from '../../domain/dialogue/policy/engine.js';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { defaultComplianceEngine } from '../compliance/load-pack.js';
import { loadKnowledgeBase } from '../knowledge/load-knowledge.js';
import { loadNlu } from '../nlu/load-nlu.js';
import type { ConversationParts } from './chat-service.js';

export function loadConversationParts(): ConversationParts {
  const compliance = defaultComplianceEngine();
  const knowledge = loadKnowledgeBase();
  const engine = createDialogueEngine({
    nlu: loadNlu().nlu,
    compliance,
    catalogue: loadCatalogue(),
    // FAQ retrieval answers general questions first; below its calibrated
    // threshold the bot's own short replies answer.
    knowledge,
  });
  return { engine, compliance, knowledge };
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
