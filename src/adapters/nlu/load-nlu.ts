import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dict as jiebaGeneralDictionary } from '@node-rs/jieba/dict.js';
import {
  type LabelledUtterance,
  parseCorpusFile,
  splitCorpus,
} from '../../domain/dialogue/nlu/corpus.js';
import { createSegmenter } from '../../domain/dialogue/nlu/financial-dictionary.js';
import {
  INTENT_TRAINING_OPTIONS_DEFAULT,
  type IntentTrainingOptions,
  trainIntentModel,
} from '../../domain/dialogue/nlu/intent-model.js';
import {
  createNlu,
  type Nlu,
  type NluModel,
} from '../../domain/dialogue/nlu/nlu.js';
import { createToSimplified } from '../../domain/dialogue/nlu/normalize.js';
import {
  MODEL_CACHE_DIR_DEFAULT,
  modelCacheKey,
  readCachedModel,
  writeCachedModel,
} from './model-cache.js';

/** The labelled corpus shipped in the repository. */
export const CORPUS_DIR_DEFAULT = fileURLToPath(
  new URL('../../../content/nlu/corpus/', import.meta.url),
);

type CorpusFile = { name: string; content: string };

function readCorpusFiles(dir: string): CorpusFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => ({ name, content: readFileSync(join(dir, name), 'utf8') }));
}

function parseCorpus(files: readonly CorpusFile[]): LabelledUtterance[] {
  const utterances: LabelledUtterance[] = [];
  for (const { name, content } of files) {
    const parsed = parseCorpusFile(name, content);
    // A broken corpus is a bug in the repository, not a user's input.
    if (!parsed.ok) {
      throw new Error(`${parsed.error.source}: ${parsed.error.reason}`);
    }
    utterances.push(...parsed.value);
  }
  return utterances;
}

/** Reads every `*.txt` corpus file of `dir`, in file-name order. */
export function readCorpus(
  dir: string = CORPUS_DIR_DEFAULT,
): LabelledUtterance[] {
  return parseCorpus(readCorpusFiles(dir));
}

export type LoadNluOptions = {
  corpusDir?: string;
  /** `all` for serving; `train` leaves the held-out split unseen (benchmarks). */
  trainOn?: 'all' | 'train';
  training?: IntentTrainingOptions;
  /** Folder of cached weights; `null` always trains (to measure training). */
  cacheDir?: string | null;
};

export type LoadedNlu = {
  nlu: Nlu;
  model: NluModel;
  corpus: LabelledUtterance[];
  /** Time spent training, 0 when the weights came from the cache. */
  trainingMs: number;
};

/**
 * Reads the corpus, builds the text tools and trains the intent model, or
 * takes its weights from the cache when the corpus, the options and the NLU
 * code are unchanged since they were trained.
 */
export function loadNlu(options: LoadNluOptions = {}): LoadedNlu {
  const files = readCorpusFiles(options.corpusDir ?? CORPUS_DIR_DEFAULT);
  const corpus = parseCorpus(files);
  const toSimplified = createToSimplified();
  const segment = createSegmenter(jiebaGeneralDictionary);
  const trainOn = options.trainOn ?? 'all';
  const training = options.training ?? INTENT_TRAINING_OPTIONS_DEFAULT;
  const cacheDir =
    options.cacheDir === undefined ? MODEL_CACHE_DIR_DEFAULT : options.cacheDir;
  const key = modelCacheKey(
    files.map((file) => `${file.name}\n${file.content}`),
    { trainOn, training },
  );
  let intentModel =
    cacheDir === null ? undefined : readCachedModel(cacheDir, key);
  let trainingMs = 0;
  if (intentModel === undefined) {
    const trainingSet =
      trainOn === 'train' ? splitCorpus(corpus).train : corpus;
    const started = performance.now();
    intentModel = trainIntentModel(
      trainingSet,
      toSimplified,
      segment,
      training,
    );
    trainingMs = performance.now() - started;
    if (cacheDir !== null) writeCachedModel(cacheDir, key, intentModel);
  }
  const model: NluModel = { intentModel, toSimplified, segment };
  return { nlu: createNlu(model), model, corpus, trainingMs };
}
