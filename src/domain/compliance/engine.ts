import { COMPLIANCE_VIOLATIONS_MAX } from '../shared/limits.js';
import { isGrounded, statedAmounts } from './amounts.js';
import {
  type CompiledPack,
  type CompiledRule,
  compilePack,
  type Marker,
} from './compile.js';
import {
  computeScopes,
  followedInClause,
  inSentence,
  isQuoted,
  nearSentence,
  precededInClause,
  type Range,
  type Scopes,
  sameSentence,
} from './context.js';
import { inMinuteWindow } from './local-time.js';
import type { Normalized } from './normalize.js';
import {
  detectPii,
  mayContainLongNumber,
  type PiiHit,
  type PiiKind,
} from './pii-detect.js';
import type {
  Category,
  CheckInput,
  CheckResult,
  Rule,
  RuleConditions,
  RulePack,
  Severity,
  Verdict,
  Violation,
} from './types.js';

/** Characters a negator may stand before the word it negates. */
const NEGATION_REACH_CHARS = 20;
/** Characters reported speech (您说…) reaches forward in its clause. */
const REPORTED_REACH_CHARS = 30;

export type ComplianceEngine = {
  /** The rule pack version, reported with verdicts for audit. */
  version: string;
  check: (input: CheckInput) => CheckResult;
};

/**
 * Builds the engine from a parsed, validated rule pack (see
 * src/adapters/compliance/load-pack.ts). The engine is pure and reusable.
 * @example createComplianceEngine(pack).check({ text: '包过', role: 'bot', recipient: 'customer' })
 */
export function createComplianceEngine(pack: RulePack): ComplianceEngine {
  const compiled = compilePack(pack);
  return {
    version: pack.version,
    check: (input) => checkMessage(compiled, input),
  };
}

type Found = {
  /** Ranges per pattern slot, indexed by slot (sparse). */
  slots: (Range[] | undefined)[];
  markers: Record<Marker, Range[]>;
  /** Ranges of `unless` terms, indexed by rule (sparse). */
  unless: (Range[] | undefined)[];
  /** Rules whose first pattern group occurred (indices, unsorted). */
  rules: number[];
  /** 1 for each rule index already in `rules`. */
  ruleSeen: Uint8Array;
  /** Distinct classifier grams found (indices into gramKeys). */
  grams: number[];
};

function scan(pack: CompiledPack, text: string): Found {
  const found: Found = {
    slots: [],
    markers: {
      negator: [],
      negator_exception: [],
      post_negator: [],
      hedge: [],
      firm: [],
      frame: [],
      frame_exception: [],
      reported: [],
    },
    unless: [],
    rules: [],
    ruleSeen: new Uint8Array(pack.rules.length),
    grams: [],
  };
  let gramSeen: Uint8Array | undefined;
  const matches = pack.matcher.scan(text);
  for (let index = 0; index < matches.count; index += 1) {
    const keyword = matches.keywords[index] ?? 0;
    const gram = pack.gramOfKeyword[keyword] ?? -1;
    if (gram >= 0) {
      // The model counts a gram once per message, however often it occurs.
      gramSeen ??= new Uint8Array(pack.classifier?.gramKeys.length ?? 0);
      if (gramSeen[gram] === 0) {
        gramSeen[gram] = 1;
        found.grams.push(gram);
      }
    }
    const entries = pack.entries[keyword];
    if (entries === undefined) continue;
    const range = {
      start: matches.starts[index] ?? 0,
      end: matches.ends[index] ?? 0,
    };
    for (const entry of entries) {
      if (entry.type === 'marker') {
        found.markers[entry.marker].push(range);
      } else if (entry.type === 'slot') {
        pushRange(found.slots, entry.slot, range);
        if (entry.group === 0 && found.ruleSeen[entry.rule] === 0) {
          found.ruleSeen[entry.rule] = 1;
          found.rules.push(entry.rule);
        }
      } else if (entry.type === 'unless') {
        pushRange(found.unless, entry.rule, range);
      }
    }
  }
  return found;
}

function pushRange(
  lists: (Range[] | undefined)[],
  key: number,
  range: Range,
): void {
  const list = lists[key];
  if (list === undefined) lists[key] = [range];
  else list.push(range);
}

function applies(conditions: RuleConditions, input: CheckInput): boolean {
  if (!conditions.roles.includes(input.role)) return false;
  if (!conditions.recipients.includes(input.recipient)) return false;
  const window = conditions.window;
  if (window === undefined) return true;
  if (input.atMinute === undefined) return false;
  return inMinuteWindow(input.atMinute, window.fromMinute, window.toMinute);
}

/** What one check has computed so far; scopes and PII are lazy. */
type Message = {
  input: CheckInput;
  normalized: Normalized;
  found: Found;
  scopes: Scopes | undefined;
  pii: PiiHit[] | undefined;
};

function checkMessage(pack: CompiledPack, input: CheckInput): CheckResult {
  const normalized = pack.normalizer.normalize(input.text);
  // Nothing left after dropping spaces and fillers: nothing to judge.
  if (normalized.text.length === 0) return { verdict: 'pass', violations: [] };
  const message: Message = {
    input,
    normalized,
    found: scan(pack, normalized.text),
    scopes: undefined,
    pii: undefined,
  };
  const violations: Violation[] = [];
  // Only rules with a first-group hit, plus the built-in detectors, can fire;
  // pack order is kept so the output is stable.
  const seen = message.found.ruleSeen;
  for (let index = 0; index < pack.rules.length; index += 1) {
    if (violations.length >= COMPLIANCE_VIOLATIONS_MAX) break;
    if (seen[index] === 0 && pack.isDetector[index] === 0) continue;
    const compiled = pack.rules[index];
    if (compiled === undefined) continue;
    const rule = compiled.rule;
    if (!applies(rule.conditions, input)) continue;
    const violation = evaluate(compiled, message);
    if (violation !== undefined) violations.push(violation);
  }
  if (violations.length === 0) {
    const flagged = classifierWarning(pack, message.found.grams, input);
    if (flagged !== undefined) violations.push(flagged);
  }
  return { verdict: verdictOf(violations), violations };
}

const RECIPIENT_BOUND: readonly Category[] = [
  'privacy_leak',
  'third_party_disclosure',
];

/**
 * The statistical backstop: a warning, never a block, when no rule fired but
 * the wording resembles labelled violations (classifier.ts).
 */
function classifierWarning(
  pack: CompiledPack,
  grams: readonly number[],
  input: CheckInput,
): Violation | undefined {
  if (pack.classifier === undefined) return undefined;
  const flagged = pack.classifier.classifyGrams(grams);
  if (flagged === undefined) return undefined;
  const category = flagged.category;
  // Account wording is a leak only to someone not verified (PII-01, COL-04):
  // text alone cannot tell, so the verified customer gets no such warning.
  if (input.recipient === 'customer' && RECIPIENT_BOUND.includes(category)) {
    return undefined;
  }
  const rule = pack.ruleOfCategory.get(category);
  if (rule === undefined) return undefined;
  return {
    rule: `classifier.${category}`,
    category,
    span: [0, input.text.length],
    message: `措辞与已知的违规话术相似（统计模型判断），请复核：${rule.message}`,
    basis: rule.basis,
    severity: 'warn',
    suggestion: rule.suggestion,
  };
}

function evaluate(
  compiled: CompiledRule,
  message: Message,
): Violation | undefined {
  const rule = compiled.rule;
  switch (rule.kind) {
    case 'lexical': {
      // Scopes are only needed to judge lexical hits; most messages have none.
      message.scopes ??= computeScopes(message.normalized.text);
      const hit = lexicalHit(compiled, message.found, message.scopes);
      if (hit === undefined) return undefined;
      return violationOf(rule, toOriginal(message, hit.range), hit.severity);
    }
    case 'pii_id_number':
    case 'pii_bank_card':
    case 'pii_mobile':
    case 'pii_address': {
      message.pii ??= piiOf(message.input.text);
      const kind = PII_KIND_OF_RULE[rule.kind];
      for (const item of message.pii) {
        if (item.kind === kind)
          return violationOf(rule, item.span, rule.severity);
      }
      return undefined;
    }
    case 'amount_grounding': {
      const span = ungroundedAmount(message.input);
      return span === undefined
        ? undefined
        : violationOf(rule, span, rule.severity);
    }
    case 'always':
      return violationOf(rule, [0, message.input.text.length], rule.severity);
  }
}

function toOriginal(message: Message, range: Range): [number, number] {
  const starts = message.normalized.starts;
  const last = starts[range.end - 1] ?? message.input.text.length - 1;
  return [starts[range.start] ?? 0, last + 1];
}

const PII_KIND_OF_RULE: Record<string, PiiKind> = {
  pii_id_number: 'id_number',
  pii_bank_card: 'bank_card',
  pii_mobile: 'mobile',
  pii_address: 'address',
};

function piiOf(text: string): PiiHit[] {
  const hasContextWord = text.includes('住') || text.includes('地址');
  if (!mayContainLongNumber(text) && !hasContextWord) return [];
  return detectPii(text);
}

/** Debt words that make an amount a statement about what is owed. */
const DEBT_CONTEXT =
  /欠|应还|待还|未还|逾期|本金|利息|罚息|违约金|余额|共计|合计|总共|一共|结清/;

function ungroundedAmount(input: CheckInput): [number, number] | undefined {
  const facts = input.facts;
  if (facts === undefined || facts.amountsFen.length === 0) return undefined;
  for (const amount of statedAmounts(input.text)) {
    const [start, end] = amount.span;
    const around = input.text.slice(Math.max(0, start - 12), end + 4);
    if (!DEBT_CONTEXT.test(around)) continue;
    if (!isGrounded(amount, facts.amountsFen)) return amount.span;
  }
  return undefined;
}

type Hit = { range: Range; severity: Severity };

function lexicalHit(
  compiled: CompiledRule,
  found: Found,
  scopes: Scopes,
): Hit | undefined {
  const rule = compiled.rule;
  for (const pattern of compiled.patterns) {
    const firsts = found.slots[pattern.slots[0] ?? -1] ?? [];
    for (const first of firsts) {
      const parts = pattern.ordered
        ? extend(first, pattern.slots, found, scopes, rule.gapCharsMax)
        : cooccur(first, pattern.slots, found, scopes);
      if (parts === undefined) continue;
      const severity = judge(rule, compiled.index, parts, found, scopes);
      if (severity !== undefined) return { range: cover(parts), severity };
    }
  }
  return undefined;
}

function cover(parts: readonly Range[]): Range {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const part of parts) {
    start = Math.min(start, part.start);
    end = Math.max(end, part.end);
  }
  return { start, end };
}

/** Each later group starts after the previous one, within the gap. */
function extend(
  first: Range,
  slots: readonly number[],
  found: Found,
  scopes: Scopes,
  gapCharsMax: number,
): Range[] | undefined {
  const parts = [first];
  let end = first.end;
  for (let group = 1; group < slots.length; group += 1) {
    const candidates = found.slots[slots[group] ?? -1] ?? [];
    let next: Range | undefined;
    for (const candidate of candidates) {
      if (candidate.start < end || candidate.start - end > gapCharsMax) {
        continue;
      }
      if (!sameSentence(scopes, candidate.start, first.start)) continue;
      if (next === undefined || candidate.start < next.start) next = candidate;
    }
    if (next === undefined) return undefined;
    parts.push(next);
    end = next.end;
  }
  return parts;
}

/** Every later group occurs in the sentence of the first, not overlapping it. */
function cooccur(
  first: Range,
  slots: readonly number[],
  found: Found,
  scopes: Scopes,
): Range[] | undefined {
  const parts = [first];
  for (let group = 1; group < slots.length; group += 1) {
    const candidates = found.slots[slots[group] ?? -1] ?? [];
    const next = candidates.find(
      (candidate) =>
        sameSentence(scopes, candidate.start, first.start) &&
        !parts.some(
          (part) => candidate.start < part.end && candidate.end > part.start,
        ),
    );
    if (next === undefined) return undefined;
    parts.push(next);
  }
  return parts;
}

/** The severity of a hit in its context, or undefined when it is neutralised. */
function judge(
  rule: Rule,
  ruleIndex: number,
  parts: readonly Range[],
  found: Found,
  scopes: Scopes,
): Severity | undefined {
  const markers = found.markers;
  const range = cover(parts);
  if (
    rule.unless !== undefined &&
    unlessApplies(rule, found.unless[ruleIndex], range, scopes)
  ) {
    return undefined;
  }
  if (rule.context.quotation) {
    if (isQuoted(scopes, range)) return undefined;
    if (precededInClause(scopes, markers.reported, range, REPORTED_REACH_CHARS))
      return undefined;
  }
  if (rule.context.negation) {
    const negators = withoutExceptions(
      markers.negator,
      markers.negator_exception,
    );
    // A co-occurrence is denied when any of its parts is (无法保证…放款).
    for (const part of parts) {
      if (precededInClause(scopes, negators, part, NEGATION_REACH_CHARS)) {
        return undefined;
      }
    }
    if (followedInClause(scopes, markers.post_negator, range)) return undefined;
  }
  if (rule.context.warningFrame && isFramed(markers, range, scopes)) {
    return undefined;
  }
  if (
    rule.hedgedSeverity !== undefined &&
    inSentence(scopes, markers.hedge, range)
  ) {
    // A firm word anywhere in the sentence, the hit included, keeps it firm.
    const firm = markers.firm.some((marker) =>
      sameSentence(scopes, marker.start, range.start),
    );
    if (!firm) {
      return rule.hedgedSeverity === 'pass' ? undefined : rule.hedgedSeverity;
    }
  }
  return rule.severity;
}

/**
 * A fraud warning frames its own sentence and the sentences next to it
 * (您说有人让您先交"解冻费"？那是诈骗。): warnings are short and follow the
 * quoted scam.
 */
function isFramed(
  markers: Found['markers'],
  range: Range,
  scopes: Scopes,
): boolean {
  const frames = withoutExceptions(markers.frame, markers.frame_exception);
  return nearSentence(scopes, frames, range, 1);
}

function withoutExceptions(
  markers: readonly Range[],
  exceptions: readonly Range[],
): Range[] {
  if (exceptions.length === 0) return [...markers];
  return markers.filter(
    (marker) =>
      !exceptions.some(
        (ex) => ex.start <= marker.start && ex.end >= marker.end,
      ),
  );
}

function unlessApplies(
  rule: Rule,
  ranges: Range[] | undefined,
  hit: Range,
  scopes: Scopes,
): boolean {
  if (ranges === undefined || rule.unless === undefined) return false;
  switch (rule.unless.scope) {
    case 'message':
      return true;
    case 'sentence':
      return ranges.some(
        (range) =>
          scopes.sentenceOf[range.start] === scopes.sentenceOf[hit.start],
      );
    case 'clause':
      return ranges.some(
        (range) => scopes.clauseOf[range.start] === scopes.clauseOf[hit.start],
      );
  }
}

function violationOf(
  rule: Rule,
  span: [number, number],
  severity: Severity,
): Violation {
  return {
    rule: rule.id,
    category: rule.category,
    span,
    message: rule.message,
    basis: rule.basis,
    severity,
    suggestion: rule.suggestion,
  };
}

function verdictOf(violations: readonly Violation[]): Verdict {
  if (violations.some((violation) => violation.severity === 'block'))
    return 'block';
  return violations.length > 0 ? 'warn' : 'pass';
}
