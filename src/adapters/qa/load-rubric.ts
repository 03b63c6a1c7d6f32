import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Document, parse } from 'yaml';
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

/**
 * A refused rubric: `field` is the path of the offending value (`items[2].max`,
 * `phrases.greeting[0]`, `items` for the weights' total) and `reasonZh` says
 * what is wrong in words an admin reads in the rubric editor.
 */
export class RubricError extends Error {
  override readonly name = 'RubricError';
  constructor(
    readonly field: string,
    readonly reasonZh: string,
  ) {
    super(`${field}: ${reasonZh}`);
  }
}

type Raw = Record<string, unknown>;

/** Longest item name and description an admin may write. */
const NAME_CHARS_MAX = 20;
const DESCRIPTION_CHARS_MAX = 200;
const VERSION_CHARS_MAX = 40;

function object(value: unknown, field: string): Raw {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new RubricError(field, '应为键值结构');
  return value as Raw;
}

function text(value: unknown, field: string, maxChars = 200): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new RubricError(field, '不能为空');
  if (value.length > maxChars)
    throw new RubricError(field, `不能超过${maxChars}个字`);
  return value;
}

function integer(value: unknown, field: string, min: number, max: number) {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  )
    throw new RubricError(field, `应为${min}到${max}之间的整数`);
  return value;
}

function strings(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new RubricError(field, '至少需要一个词语');
  const list = value.map((entry, index) =>
    text(entry, `${field}[${index}]`, 40),
  );
  const repeated = list.findIndex(
    (entry, index) => list.indexOf(entry) < index,
  );
  if (repeated >= 0)
    throw new RubricError(
      `${field}[${repeated}]`,
      `“${list[repeated]}”重复出现`,
    );
  return list;
}

function item(value: unknown, index: number): RubricItem {
  const field = `items[${index}]`;
  const raw = object(value, field);
  const id = text(raw.id, `${field}.id`);
  if (!(RUBRIC_ITEM_IDS as readonly string[]).includes(id))
    throw new RubricError(`${field}.id`, `未知的评分项 ${id}`);
  return {
    id: id as RubricItemId,
    nameZh: text(raw.name_zh, `${field}.name_zh`, NAME_CHARS_MAX),
    max: integer(raw.max, `${field}.max`, 1, 100),
    hardFail: raw.hard_fail === true,
    descriptionZh: text(
      raw.description_zh,
      `${field}.description_zh`,
      DESCRIPTION_CHARS_MAX,
    ),
  };
}

/** Validates a rubric already parsed from YAML or JSON; throws RubricError naming the field. */
export function rubricFromData(data: unknown): Rubric {
  const raw = object(data, 'rubric');
  const version = text(raw.version, 'version', VERSION_CHARS_MAX);
  const itemsRaw = raw.items;
  if (!Array.isArray(itemsRaw))
    throw new RubricError('items', '应为评分项列表');
  const items = itemsRaw.map(item);
  for (const id of RUBRIC_ITEM_IDS) {
    const count = items.filter((entry) => entry.id === id).length;
    if (count !== 1)
      throw new RubricError(
        'items',
        count === 0 ? `缺少评分项 ${id}` : `评分项 ${id} 重复出现`,
      );
  }
  const total = rubricTotal({ items });
  if (total !== 100)
    throw new RubricError('items', `各项分值合计为${total}，应为100`);
  const phrasesRaw = object(raw.phrases, 'phrases');
  const phrases = {} as Record<PhraseList, readonly string[]>;
  for (const list of PHRASE_LISTS)
    phrases[list] = strings(phrasesRaw[list], `phrases.${list}`);
  return {
    version,
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

/** Parses rubric YAML; throws RubricError naming the field. */
export function parseRubric(source: string): Rubric {
  let data: unknown;
  try {
    data = parse(source);
  } catch {
    throw new RubricError('yaml', '不是有效的YAML');
  }
  return rubricFromData(data);
}

/** The rubric as the data `rubricFromData` reads (the YAML file's shape). */
export function rubricData(rubric: Rubric) {
  return {
    version: rubric.version,
    items: rubric.items.map((entry) => ({
      id: entry.id,
      name_zh: entry.nameZh,
      max: entry.max,
      ...(entry.hardFail ? { hard_fail: true } : {}),
      description_zh: entry.descriptionZh,
    })),
    phrases: Object.fromEntries(
      PHRASE_LISTS.map((list) => [list, [...rubric.phrases[list]]]),
    ) as Record<PhraseList, string[]>,
    jargon: [...rubric.jargon],
    long_reply_chars: rubric.longReplyChars,
    clarity_deduction_percent: rubric.clarityDeductionPercent,
    compliance_warn_deduction_percent: rubric.complianceWarnDeductionPercent,
  };
}

/** A rubric as YAML text, as an admin's edit is stored. */
export function rubricYaml(rubric: Rubric, header: string): string {
  const document = new Document(rubricData(rubric));
  document.commentBefore = header;
  return document.toString({ lineWidth: 0 });
}

export function loadRubric(path: string = DEFAULT_RUBRIC_PATH): Rubric {
  return parseRubric(readFileSync(path, 'utf8'));
}
