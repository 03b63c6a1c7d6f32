import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  PHRASE_LISTS,
  type PhraseList,
  RUBRIC_ITEM_IDS,
  type Rubric,
  type RubricItem,
  type RubricItemId,
  rubricTotal,
} from '../../domain/qa/rubric.js';

// Loads and validates the quality-inspection rubric (content/qa/rubric.yaml).
// A rubric that names an unknown item, misses one, or whose weights do not
// add up to 100 is refused with the field named.

export const DEFAULT_RUBRIC_PATH = fileURLToPath(
  new URL('../../../content/qa/rubric.yaml', import.meta.url),
);

export class RubricError extends Error {
  override readonly name = 'RubricError';
}

type Raw = Record<string, unknown>;

function object(value: unknown, field: string): Raw {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RubricError(`${field}: must be a mapping`);
  return value as Raw;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new RubricError(`${field}: must be a non-empty string`);
  return value;
}

function integer(value: unknown, field: string, min: number, max: number) {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  )
    throw new RubricError(`${field}: must be an integer from ${min} to ${max}`);
  return value;
}

function strings(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new RubricError(`${field}: must be a non-empty list`);
  return value.map((entry, index) => text(entry, `${field}[${index}]`));
}

function item(value: unknown, index: number): RubricItem {
  const raw = object(value, `items[${index}]`);
  const id = text(raw.id, `items[${index}].id`);
  if (!(RUBRIC_ITEM_IDS as readonly string[]).includes(id))
    throw new RubricError(`items[${index}].id: unknown rubric item ${id}`);
  return {
    id: id as RubricItemId,
    nameZh: text(raw.name_zh, `items[${index}].name_zh`),
    max: integer(raw.max, `items[${index}].max`, 1, 100),
    hardFail: raw.hard_fail === true,
    descriptionZh: text(raw.description_zh, `items[${index}].description_zh`),
  };
}

/** Parses rubric YAML; throws RubricError naming the field. */
export function parseRubric(source: string): Rubric {
  const raw = object(parse(source), 'rubric');
  const itemsRaw = raw.items;
  if (!Array.isArray(itemsRaw)) throw new RubricError('items: must be a list');
  const items = itemsRaw.map(item);
  for (const id of RUBRIC_ITEM_IDS) {
    const count = items.filter((entry) => entry.id === id).length;
    if (count !== 1)
      throw new RubricError(`items: ${id} must appear exactly once`);
  }
  if (rubricTotal({ items }) !== 100)
    throw new RubricError(
      `items: weights add up to ${rubricTotal({ items })}, not 100`,
    );
  const phrasesRaw = object(raw.phrases, 'phrases');
  const phrases = {} as Record<PhraseList, readonly string[]>;
  for (const list of PHRASE_LISTS)
    phrases[list] = strings(phrasesRaw[list], `phrases.${list}`);
  return {
    version: text(raw.version, 'version'),
    items,
    phrases,
    jargon: strings(raw.jargon, 'jargon'),
    longReplyChars: integer(raw.long_reply_chars, 'long_reply_chars', 20, 2000),
    clarityDeductionPercent: integer(
      raw.clarity_deduction_percent,
      'clarity_deduction_percent',
      0,
      100,
    ),
    complianceWarnDeductionPercent: integer(
      raw.compliance_warn_deduction_percent,
      'compliance_warn_deduction_percent',
      0,
      100,
    ),
  };
}

export function loadRubric(path: string = DEFAULT_RUBRIC_PATH): Rubric {
  return parseRubric(readFileSync(path, 'utf8'));
}
