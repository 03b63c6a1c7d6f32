import {
  type CalendarDate,
  calendarDate,
  parseCalendarDate,
} from '../../shared/calendar-date.js';
import { err, ok, type Result } from '../../shared/result.js';
import {
  type Emotion,
  type FraudSignal,
  type Intent,
  isEmotion,
  isFraudSignal,
  isIntent,
  isPurpose,
  isRiskSignal,
  type RiskSignal,
  type Slots,
} from './labels.js';

/** One labelled line of the training corpus (content/nlu/corpus/*.txt). */
export type LabelledUtterance = {
  text: string;
  intent: Intent;
  slots: Slots;
  emotion: Emotion;
  riskSignals: RiskSignal[];
  fraudSignals: FraudSignal[];
  /** The day relative dates in `text` are resolved against. */
  today: CalendarDate;
  /** `file:line`, for error messages and review. */
  source: string;
};

export type CorpusError = {
  code: 'corpus.bad_line';
  source: string;
  reason: string;
};

/** The day the corpus files resolve relative dates against unless they say. */
export const CORPUS_TODAY_DEFAULT = calendarDate('2026-11-20');

const NUMBER_SLOTS = new Set([
  'amount_yuan',
  'term_months',
  'monthly_income_yuan',
]);
const STRING_SLOTS = new Set(['id_number', 'phone', 'loan_no', 'date']);

type Annotations = Omit<
  LabelledUtterance,
  'text' | 'intent' | 'today' | 'source'
>;

function parseAnnotations(text: string): Result<Annotations, string> {
  const out: Annotations = {
    slots: {},
    emotion: 'neutral',
    riskSignals: [],
    fraudSignals: [],
  };
  for (const pair of text.split(/\s+/).filter((part) => part !== '')) {
    const [key = '', value = ''] = pair.split('=', 2);
    if (value === '') return err(`annotation without value: ${pair}`);
    if (key === 'emotion' && isEmotion(value)) out.emotion = value;
    else if (key === 'risk' && value.split(',').every(isRiskSignal)) {
      out.riskSignals = value.split(',').filter(isRiskSignal);
    } else if (key === 'fraud' && value.split(',').every(isFraudSignal)) {
      out.fraudSignals = value.split(',').filter(isFraudSignal);
    } else if (key === 'purpose' && isPurpose(value)) out.slots.purpose = value;
    else if (NUMBER_SLOTS.has(key) && Number.isFinite(Number(value))) {
      out.slots[key as 'amount_yuan'] = Number(value);
    } else if (key === 'date' && parseCalendarDate(value) !== undefined) {
      out.slots.date = value;
    } else if (STRING_SLOTS.has(key) && key !== 'date') {
      out.slots[key as 'phone'] = value;
    } else return err(`unknown annotation: ${pair}`);
  }
  return ok(out);
}

/**
 * Parses one corpus file. Format: a `# intent: <id>` header line, optional
 * `# today: YYYY-MM-DD`, then one utterance per line, optionally followed by
 * ` | ` and space-separated annotations (`amount_yuan=50000 term_months=36
 * purpose=car emotion=anxious risk=urgent_need,rate_insensitive
 * fraud=upfront_fee`). Other `#` lines are comments.
 */
export function parseCorpusFile(
  name: string,
  content: string,
): Result<LabelledUtterance[], CorpusError> {
  const utterances: LabelledUtterance[] = [];
  let intent: Intent | undefined;
  let today = CORPUS_TODAY_DEFAULT;
  const lines = content.split('\n');
  for (const [index, rawLine] of lines.entries()) {
    const source = `${name}:${index + 1}`;
    const line = rawLine.trim();
    const fail = (reason: string) =>
      err<CorpusError>({ code: 'corpus.bad_line', source, reason });
    if (line === '') continue;
    const header = /^#\s*(intent|today):\s*(\S+)$/.exec(line);
    if (header !== null) {
      const value = header[2] ?? '';
      if (header[1] === 'intent') {
        if (!isIntent(value)) return fail(`unknown intent ${value}`);
        intent = value;
      } else {
        const date = parseCalendarDate(value);
        if (date === undefined) return fail(`bad date ${value}`);
        today = date;
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    if (intent === undefined) return fail('utterance before the intent header');
    const [text = '', annotationText = ''] = line.split(' | ', 2);
    const annotations = parseAnnotations(annotationText);
    if (!annotations.ok) return fail(annotations.error);
    utterances.push({
      text: text.trim(),
      intent,
      today,
      source,
      ...annotations.value,
    });
  }
  return ok(utterances);
}

// FNV-1a, 32 bit: a stable hash so the held-out split never changes when
// lines are added or reordered.
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const HELD_OUT_BUCKETS = 5;

/** True for the fixed 20 % held-out part of the corpus (by text hash). */
export function isHeldOut(text: string): boolean {
  return fnv1a(text) % HELD_OUT_BUCKETS === 0;
}

export type CorpusSplit = {
  train: LabelledUtterance[];
  heldOut: LabelledUtterance[];
};

export function splitCorpus(
  utterances: readonly LabelledUtterance[],
): CorpusSplit {
  const train: LabelledUtterance[] = [];
  const heldOut: LabelledUtterance[] = [];
  for (const utterance of utterances) {
    (isHeldOut(utterance.text) ? heldOut : train).push(utterance);
  }
  return { train, heldOut };
}
