import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dict as jiebaGeneralDictionary } from '@node-rs/jieba/dict.js';
import { createSegmenter } from '../../domain/dialogue/nlu/financial-dictionary.js';
import { createToSimplified } from '../../domain/dialogue/nlu/normalize.js';
import {
  type AgentActModel,
  isHeldOutClause,
  type LabelledAgentClause,
  parseAgentActCorpus,
  trainAgentActModel,
} from '../../domain/training/agent-acts.js';
import {
  MODEL_CACHE_DIR_DEFAULT,
  modelCacheKey,
  readCachedModel,
  writeCachedModel,
} from '../nlu/model-cache.js';

// Loads the agent-act classifier the simulated customers read trainees with:
// the corpus of content/training/agent-acts.txt, the NLU's normaliser and
// jieba segmenter, weights trained at start-up or taken from the model cache.

export const AGENT_ACT_CORPUS_PATH = fileURLToPath(
  new URL('../../../content/training/agent-acts.txt', import.meta.url),
);

const AGENT_ACT_SOURCE = fileURLToPath(
  new URL('../../domain/training/agent-acts.ts', import.meta.url),
);

export function readAgentActCorpus(
  path: string = AGENT_ACT_CORPUS_PATH,
): LabelledAgentClause[] {
  const parsed = parseAgentActCorpus(
    'agent-acts.txt',
    readFileSync(path, 'utf8'),
  );
  // A broken corpus is a bug in the repository, not a user's input.
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function sourceText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export type LoadAgentActsOptions = {
  /** `all` for serving; `train` leaves the held-out split unseen (benchmarks). */
  trainOn?: 'all' | 'train';
  /** Folder of cached weights; `null` always trains (to measure training). */
  cacheDir?: string | null;
};

export type LoadedAgentActs = {
  readonly model: AgentActModel;
  readonly corpus: LabelledAgentClause[];
  /** Time spent training, 0 when the weights came from the cache. */
  readonly trainingMs: number;
};

export function loadAgentActs(
  options: LoadAgentActsOptions = {},
): LoadedAgentActs {
  const content = readFileSync(AGENT_ACT_CORPUS_PATH, 'utf8');
  const corpus = readAgentActCorpus();
  const tools = {
    toSimplified: createToSimplified(),
    segment: createSegmenter(jiebaGeneralDictionary),
  };
  const trainOn = options.trainOn ?? 'all';
  const cacheDir =
    options.cacheDir === undefined ? MODEL_CACHE_DIR_DEFAULT : options.cacheDir;
  const key = `acts-${modelCacheKey([content, sourceText(AGENT_ACT_SOURCE)], {
    trainOn,
  })}`;
  let model = cacheDir === null ? undefined : readCachedModel(cacheDir, key);
  let trainingMs = 0;
  if (model === undefined) {
    const started = performance.now();
    model = trainAgentActModel(
      trainOn === 'train'
        ? corpus.filter((clause) => !isHeldOutClause(clause.text))
        : corpus,
      tools,
    );
    trainingMs = performance.now() - started;
    if (cacheDir !== null) writeCachedModel(cacheDir, key, model);
  }
  return { model: { ...tools, model }, corpus, trainingMs };
}

/** Loads on first use and keeps the result (jieba takes a moment). */
export function lazyAgentActs(): () => AgentActModel {
  let model: AgentActModel | undefined;
  return () => {
    model ??= loadAgentActs().model;
    return model;
  };
}
