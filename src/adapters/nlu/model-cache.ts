import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SoftmaxModel } from '../../domain/dialogue/nlu/softmax-classifier.js';

// A trained intent model cached on disk, so that each CLI start does not
// retrain (training is about a second on an idle machine, several under load).
// The key hashes everything the weights depend on: the corpus, the training
// options and the NLU source code, so a stale model cannot be served.

/** Where cached models live: the usual ignored tool-cache folder. */
export const MODEL_CACHE_DIR_DEFAULT = fileURLToPath(
  new URL('../../../node_modules/.cache/loandesk-nlu/', import.meta.url),
);

const NLU_SOURCE_DIR = fileURLToPath(
  new URL('../../domain/dialogue/nlu/', import.meta.url),
);

function nluSources(): string[] {
  return readdirSync(NLU_SOURCE_DIR)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort()
    .map((name) => readFileSync(join(NLU_SOURCE_DIR, name), 'utf8'));
}

/** A hex key over the training inputs and the code that turns them into weights. */
export function modelCacheKey(
  corpusFiles: readonly string[],
  options: unknown,
): string {
  const hash = createHash('sha256');
  for (const part of [
    ...corpusFiles,
    JSON.stringify(options),
    ...nluSources(),
  ]) {
    hash.update(part);
    hash.update('\u0000');
  }
  return hash.digest('hex').slice(0, 32);
}

type CachedModel = Omit<SoftmaxModel, 'weights' | 'bias'> & {
  weights: string;
  bias: number[];
};

function encodeFloats(values: Float64Array): string {
  return Buffer.from(
    values.buffer,
    values.byteOffset,
    values.byteLength,
  ).toString('base64');
}

function decodeFloats(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

/** The cached model for `key`, or undefined when there is none or it is unreadable. */
export function readCachedModel(
  dir: string,
  key: string,
): SoftmaxModel | undefined {
  let cached: CachedModel;
  try {
    cached = JSON.parse(
      readFileSync(join(dir, `${key}.json`), 'utf8'),
    ) as CachedModel;
  } catch {
    return undefined;
  }
  const weights = decodeFloats(cached.weights);
  const expected = Object.keys(cached.vocabulary).length * cached.labels.length;
  if (weights.length !== expected) return undefined;
  return { ...cached, weights, bias: Float64Array.from(cached.bias) };
}

/** Stores the model; a failed write only costs the next start a retraining. */
export function writeCachedModel(
  dir: string,
  key: string,
  model: SoftmaxModel,
): void {
  const cached: CachedModel = {
    ...model,
    weights: encodeFloats(model.weights),
    bias: [...model.bias],
  };
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(temporary, JSON.stringify(cached));
    // Rename is atomic: a concurrent reader sees the old file or the new one.
    renameSync(temporary, join(dir, `${key}.json`));
    pruneCache(dir);
  } catch {
    // Read-only installs simply train at every start.
  }
}

// Each code or corpus change leaves a model behind; keep the newest few (a
// benchmark and the served model use different keys at the same time).
const CACHED_MODELS_MAX = 6;

function pruneCache(dir: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, modifiedMs: statSync(join(dir, name)).mtimeMs }))
    .sort((left, right) => right.modifiedMs - left.modifiedMs);
  for (const file of files.slice(CACHED_MODELS_MAX)) {
    rmSync(join(dir, file.name), { force: true });
  }
}
