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

/** The labelled corpus shipped in the repository. */
export const CORPUS_DIR_DEFAULT = fileURLToPath(
  new URL('../../../content/nlu/corpus/', import.meta.url),
);

/** Reads every `*.txt` corpus file of `dir`, in file-name order. */
export function readCorpus(
  dir: string = CORPUS_DIR_DEFAULT,
): LabelledUtterance[] {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.txt'))
    .sort();
  const utterances: LabelledUtterance[] = [];
  for (const name of names) {
    const parsed = parseCorpusFile(name, readFileSync(join(dir, name), 'utf8'));
    // A broken corpus is a bug in the repository, not a user's input.
    if (!parsed.ok) {
      throw new Error(`${parsed.error.source}: ${parsed.error.reason}`);
    }
    utterances.push(...parsed.value);
  }
  return utterances;
}

export type LoadNluOptions = {
  corpusDir?: string;
  /** `all` for serving; `train` leaves the held-out split unseen (benchmarks). */
  trainOn?: 'all' | 'train';
  training?: IntentTrainingOptions;
};

export type LoadedNlu = {
  nlu: Nlu;
  model: NluModel;
  corpus: LabelledUtterance[];
  trainingMs: number;
};

/**
 * Reads the corpus, builds the text tools and trains the intent model. It
 * trains at start-up (well under a second) rather than caching weights, so a
 * corpus edit can never leave a stale model behind.
 */
export function loadNlu(options: LoadNluOptions = {}): LoadedNlu {
  const corpus = readCorpus(options.corpusDir);
  const toSimplified = createToSimplified();
  const segment = createSegmenter(jiebaGeneralDictionary);
  const trainingSet =
    options.trainOn === 'train' ? splitCorpus(corpus).train : corpus;
  const started = performance.now();
  const intentModel = trainIntentModel(
    trainingSet,
    toSimplified,
    segment,
    options.training ?? INTENT_TRAINING_OPTIONS_DEFAULT,
  );
  const trainingMs = performance.now() - started;
  const model: NluModel = { intentModel, toSimplified, segment };
  return { nlu: createNlu(model), model, corpus, trainingMs };
}
