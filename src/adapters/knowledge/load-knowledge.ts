import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dict as jiebaGeneralDictionary,
  idf as jiebaIdf,
} from '@node-rs/jieba/dict.js';
import { parse } from 'yaml';
import { createToSimplified } from '../../domain/dialogue/nlu/normalize.js';
import {
  createKnowledgeBase,
  type KnowledgeBase,
  type KnowledgeEntry,
  type KnowledgeTools,
} from '../../domain/knowledge/retrieve.js';
import {
  createGeneralTermWeight,
  parseIdfTable,
} from '../../domain/knowledge/term-weight.js';
import {
  createKnowledgeSegmenter,
  createTokenizer,
} from '../../domain/knowledge/tokenize.js';

/** The knowledge content shipped in the repository. */
export const KNOWLEDGE_DIR_DEFAULT = fileURLToPath(
  new URL('../../../content/knowledge/', import.meta.url),
);

/** A question written to test or calibrate retrieval, never indexed. */
export type LabelledQuestion = { question: string; entryId: string | null };

// A broken content file is a bug in the repository, not a user's input:
// it throws, naming the file and the field.
function fail(file: string, reason: string): never {
  throw new Error(`${file}: ${reason}`);
}

function readStrings(file: string, where: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(file, `${where} must be a non-empty list`);
  }
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') {
      fail(file, `${where}[${i}] must be a non-empty string`);
    }
    return item.trim();
  });
}

function readEntry(file: string, topic: string, raw: unknown): KnowledgeEntry {
  const value = (raw ?? {}) as Record<string, unknown>;
  const id = value.id;
  if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) {
    fail(file, 'every entry needs an id in kebab-case');
  }
  const answer = value.answer;
  if (typeof answer !== 'string' || answer.trim() === '') {
    fail(file, `${id}.answer must be a non-empty string`);
  }
  const questions = readStrings(file, `${id}.questions`, value.questions);
  return { id, topic, questions, answer: answer.trim() };
}

/** Parses one FAQ file: `{ topic, entries: [{ id, questions, answer }] }`. */
export function parseFaqFile(file: string, text: string): KnowledgeEntry[] {
  const document = (parse(text) ?? {}) as Record<string, unknown>;
  const topic = document.topic;
  if (typeof topic !== 'string' || topic === '') fail(file, 'topic missing');
  if (!Array.isArray(document.entries)) fail(file, 'entries must be a list');
  return document.entries.map((raw) => readEntry(file, topic, raw));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));
}

/** Reads every FAQ file under `<dir>/faq/`, in file-name order. */
export function readKnowledgeEntries(
  dir: string = KNOWLEDGE_DIR_DEFAULT,
): KnowledgeEntry[] {
  return yamlFiles(join(dir, 'faq')).flatMap((file) =>
    parseFaqFile(file, readFileSync(file, 'utf8')),
  );
}

/**
 * Reads a question list: `{ questions: [{ q, entry }] }`, where `entry` is
 * the expected entry id or null for a question the FAQ must not answer.
 */
export function readLabelledQuestions(file: string): LabelledQuestion[] {
  const document = (parse(readFileSync(file, 'utf8')) ?? {}) as {
    questions?: unknown;
  };
  if (!Array.isArray(document.questions)) fail(file, 'questions missing');
  return document.questions.map((raw, i) => {
    const { q, entry } = (raw ?? {}) as { q?: unknown; entry?: unknown };
    if (typeof q !== 'string' || q.trim() === '') fail(file, `[${i}].q`);
    if (entry !== null && typeof entry !== 'string') fail(file, `[${i}].entry`);
    return { question: q.trim(), entryId: entry };
  });
}

/**
 * The tokenizer and term weights (jieba and its general-corpus IDF table:
 * 2–3 s measured on the loaded shared machine; build once per process).
 */
export function createKnowledgeTools(): KnowledgeTools {
  return {
    tokenize: createTokenizer(
      createKnowledgeSegmenter(jiebaGeneralDictionary),
      createToSimplified(),
    ),
    weight: createGeneralTermWeight(parseIdfTable(jiebaIdf)),
  };
}

/** The knowledge base over the shipped content. */
export function loadKnowledgeBase(
  dir: string = KNOWLEDGE_DIR_DEFAULT,
  tools: KnowledgeTools = createKnowledgeTools(),
): KnowledgeBase {
  return createKnowledgeBase(readKnowledgeEntries(dir), tools);
}
