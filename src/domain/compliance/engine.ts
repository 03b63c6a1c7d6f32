import { COMPLIANCE_VIOLATIONS_MAX } from '../shared/limits.js';
import { isGrounded, statedAmounts } from './amounts.js';
import {
  type CompiledPack,
  type CompiledRule,
  compilePack,
  MARKER_LIST,
  UNLESS_CLAUSE,
  UNLESS_SENTENCE,
} from './compile.js';
import {
  allocateScopes,
  anyInSentence,
  computeScopes,
  followedInClause,
  inSameScope,
  inSentence,
  isQuoted,
  NONE,
  nearSentence,
  type Occurrences,
  precededInClause,
  type Scopes,
  scopeEnd,
  scopeStart,
  someStartingIn,
} from './context.js';
import { inMinuteWindow } from './local-time.js';
import type { Matches } from './matcher.js';
import {
  detectPii,
  LONG_NUMBER_DIGITS_MIN,
  type PiiHit,
  type PiiKind,
} from './pii-detect.js';
import {
  type Category,
  type CheckInput,
  type CheckResult,
  RECIPIENTS,
  ROLES,
  type Rule,
  type RulePack,
  type Severity,
  type Verdict,
  type Violation,
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
 * src/adapters/compliance/load-pack.ts). The engine is pure and reusable;
 * it keeps scratch buffers between checks (one check at a time: `check` is
 * synchronous and calls nothing outside this module).
 * @example createComplianceEngine(pack).check({ text: '包过', role: 'bot', recipient: 'customer' })
 */
export function createComplianceEngine(pack: RulePack): ComplianceEngine {
  const compiled = compilePack(pack);
  const state = createState(compiled);
  return {
    version: pack.version,
    check: (input) => checkMessage(compiled, state, input),
  };
}

/** Stamps wrap well before 2^31; then every stamped array is cleared. */
const STAMP_MAX = 1 << 30;
/** Buffers above this size are dropped after a long text. */
const RETAINED_CHARS_MAX = 16_384;
const RETAINED_OCCURRENCES_MAX = 65_536;

/**
 * Scratch of one engine, reused by every check. A list or rule "is set in
 * this message" when its stamp equals the message's stamp, so nothing is
 * cleared between messages.
 */
type State = Occurrences & {
  stamp: number;
  /** Occurrences used by this message. */
  count: number;
  head: Int32Array;
  tail: Int32Array;
  listStamp: Int32Array;
  /** Lists indexed into `order` for this message. */
  orderStamp: Int32Array;
  /** Occurrence ids filed into `order` so far. */
  orderCount: number;
  /** Rules whose first pattern group occurred in this message. */
  ruleStamp: Int32Array;
  /** Distinct classifier grams of this message, in order of first match. */
  gramStamp: Int32Array;
  grams: Int32Array;
  scopes: Scopes;
  /** The groups of the hit being judged, as occurrences. */
  parts: Int32Array;
  /** The normalised span covering the parts of the last hit. */
  hitStart: number;
  hitEnd: number;
};

function createState(pack: CompiledPack): State {
  const state: State = {
    stamp: 0,
    count: 0,
    start: new Int32Array(256),
    end: new Int32Array(256),
    next: new Int32Array(256),
    order: new Int32Array(256),
    listFrom: new Int32Array(pack.listCount),
    listTo: new Int32Array(pack.listCount),
    spanMax: 0,
    orderStamp: new Int32Array(pack.listCount),
    orderCount: 0,
    head: new Int32Array(pack.listCount),
    tail: new Int32Array(pack.listCount),
    listStamp: new Int32Array(pack.listCount),
    ruleStamp: new Int32Array(pack.rules.length),
    gramStamp: new Int32Array(pack.classifier?.gramKeys.length ?? 0),
    grams: new Int32Array(64),
    scopes: allocateScopes(256),
    parts: new Int32Array(pack.groupsMax),
    hitStart: 0,
    hitEnd: 0,
  };
  return state;
}

/** Starts a message: a fresh stamp, buffers sized for `length` characters. */
function begin(state: State, length: number): void {
  state.stamp += 1;
  if (state.stamp >= STAMP_MAX) {
    state.listStamp.fill(0);
    state.orderStamp.fill(0);
    state.ruleStamp.fill(0);
    state.gramStamp.fill(0);
    state.stamp = 1;
  }
  state.count = 0;
  state.orderCount = 0;
  state.spanMax = 0;
  if (state.start.length > RETAINED_OCCURRENCES_MAX) {
    state.start = new Int32Array(256);
    state.end = new Int32Array(256);
    state.next = new Int32Array(256);
    state.order = new Int32Array(256);
  }
  if (state.grams.length > RETAINED_OCCURRENCES_MAX) {
    state.grams = new Int32Array(64);
  }
  const capacity = state.scopes.clauseOf.length;
  if (capacity < length || capacity > RETAINED_CHARS_MAX) {
    state.scopes = allocateScopes(Math.max(256, length));
  }
}

/** The head of an occurrence list; lists this message did not touch are empty. */
function firstOf(state: State, list: number): number {
  return state.listStamp[list] === state.stamp
    ? (state.head[list] ?? NONE)
    : NONE;
}

/**
 * The list's id once its occurrences are filed, in list order, into
 * state.order (what the context checks search); NONE when it has none.
 */
function indexed(state: State, list: number): number {
  if (list === NONE || state.listStamp[list] !== state.stamp) return NONE;
  if (state.orderStamp[list] === state.stamp) return list;
  if (state.order.length < state.count) {
    const order = new Int32Array(state.start.length);
    order.set(state.order.subarray(0, state.orderCount));
    state.order = order;
  }
  state.listFrom[list] = state.orderCount;
  for (
    let o = state.head[list] ?? NONE;
    o !== NONE;
    o = state.next[o] ?? NONE
  ) {
    state.order[state.orderCount] = o;
    state.orderCount += 1;
  }
  state.listTo[list] = state.orderCount;
  state.orderStamp[list] = state.stamp;
  return list;
}

function growOccurrences(state: State): void {
  const size = state.start.length * 2;
  const grown = (from: Int32Array): Int32Array => {
    const to = new Int32Array(size);
    to.set(from);
    return to;
  };
  state.start = grown(state.start);
  state.end = grown(state.end);
  state.next = grown(state.next);
}

/**
 * Files every rule and marker term the matcher found into its occurrence
 * lists, in match order, and notes which rules can fire.
 */
function collect(pack: CompiledPack, state: State, matches: Matches): void {
  const { keyEntryStart, entryList, entryRule } = pack;
  const stamp = state.stamp;
  for (let index = 0; index < matches.count; index += 1) {
    const keyword = matches.keywords[index] ?? 0;
    const from = keyEntryStart[keyword] ?? 0;
    const to = keyEntryStart[keyword + 1] ?? 0;
    if (from === to) continue;
    const start = matches.starts[index] ?? 0;
    const end = matches.ends[index] ?? 0;
    if (end - start > state.spanMax) state.spanMax = end - start;
    for (let entry = from; entry < to; entry += 1) {
      if (state.count === state.start.length) growOccurrences(state);
      const o = state.count;
      state.count += 1;
      state.start[o] = start;
      state.end[o] = end;
      state.next[o] = NONE;
      const list = entryList[entry] ?? 0;
      if (state.listStamp[list] === stamp) {
        state.next[state.tail[list] ?? 0] = o;
      } else {
        state.listStamp[list] = stamp;
        state.head[list] = o;
      }
      state.tail[list] = o;
      const rule = entryRule[entry] ?? NONE;
      if (rule !== NONE) state.ruleStamp[rule] = stamp;
    }
  }
}

/** Whether a rule the message's role and recipient meet applies at its time. */
function inWindow(compiled: CompiledRule, input: CheckInput): boolean {
  const window = compiled.rule.conditions.window;
  if (window === undefined) return true;
  if (input.atMinute === undefined) return false;
  return inMinuteWindow(input.atMinute, window.fromMinute, window.toMinute);
}

const NO_RULES = new Int32Array(0);

/** What one check has computed so far; scopes and PII are lazy. */
type Message = {
  input: CheckInput;
  /** Original offset of each normalised character. */
  starts: Int32Array;
  codes: Uint16Array;
  length: number;
  /** Decimal digits (ASCII or full width) in the original text. */
  digits: number;
  scopesReady: boolean;
  pii: PiiHit[] | undefined;
};

function checkMessage(
  pack: CompiledPack,
  state: State,
  input: CheckInput,
): CheckResult {
  const normalized = pack.normalizer.normalizeCodes(input.text);
  // Nothing left after dropping spaces and fillers: nothing to judge.
  if (normalized.length === 0) return { verdict: 'pass', violations: [] };
  begin(state, normalized.length);
  const matches = pack.matcher.scanCodes(normalized.codes, normalized.length);
  collect(pack, state, matches);
  const message: Message = {
    input,
    starts: normalized.starts,
    codes: normalized.codes,
    length: normalized.length,
    digits: normalized.digits,
    scopesReady: false,
    pii: undefined,
  };
  const violations: Violation[] = [];
  // Only rules for this role and recipient with a first-group hit, plus the
  // built-in detectors, can fire; pack order is kept so the output is stable.
  // An unknown role or recipient (bad input) meets no rule.
  const role = ROLES.indexOf(input.role);
  const recipient = RECIPIENTS.indexOf(input.recipient);
  const candidates =
    role < 0 || recipient < 0
      ? NO_RULES
      : (pack.rulesFor[role * RECIPIENTS.length + recipient] ?? NO_RULES);
  for (let at = 0; at < candidates.length; at += 1) {
    if (violations.length >= COMPLIANCE_VIOLATIONS_MAX) break;
    const index = candidates[at] ?? 0;
    if (state.ruleStamp[index] !== state.stamp && pack.isDetector[index] === 0)
      continue;
    const compiled = pack.rules[index];
    if (compiled === undefined || !inWindow(compiled, input)) continue;
    const violation = evaluate(compiled, state, message);
    if (violation !== undefined) violations.push(violation);
  }
  if (violations.length === 0 && pack.classifier !== undefined) {
    // Grams are only needed when no rule fired: most violations skip this.
    if (state.grams.length < 2 * message.length) {
      state.grams = new Int32Array(2 * message.length);
    }
    const grams = pack.classifier.gramTable.collect(
      message.codes,
      message.length,
      state.gramStamp,
      state.stamp,
      state.grams,
    );
    const flagged = classifierWarning(pack, state.grams, grams, input);
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
  grams: Int32Array,
  count: number,
  input: CheckInput,
): Violation | undefined {
  if (pack.classifier === undefined) return undefined;
  const flagged = pack.classifier.classifyGrams(grams, count);
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
  state: State,
  message: Message,
): Violation | undefined {
  const rule = compiled.rule;
  switch (rule.kind) {
    case 'lexical': {
      // Scopes are only needed to judge lexical hits; most messages have none.
      if (!message.scopesReady) {
        computeScopes(state.scopes, message.codes, message.length);
        message.scopesReady = true;
      }
      const severity = lexicalHit(compiled, state);
      if (severity === undefined) return undefined;
      return violationOf(rule, toOriginal(message, state), severity);
    }
    case 'pii_id_number':
    case 'pii_bank_card':
    case 'pii_mobile':
    case 'pii_address': {
      message.pii ??= piiOf(message.input.text, message.digits);
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

/** The original span of the hit lexicalHit left in the state. */
function toOriginal(message: Message, state: State): [number, number] {
  const starts = message.starts;
  const last = starts[state.hitEnd - 1] ?? message.input.text.length - 1;
  return [starts[state.hitStart] ?? 0, last + 1];
}

const PII_KIND_OF_RULE: Record<string, PiiKind> = {
  pii_id_number: 'id_number',
  pii_bank_card: 'bank_card',
  pii_mobile: 'mobile',
  pii_address: 'address',
};

/** PII of the original text; `digits` is its count of decimal digits. */
function piiOf(text: string, digits: number): PiiHit[] {
  if (digits >= LONG_NUMBER_DIGITS_MIN) return detectPii(text);
  const hasContextWord = text.includes('住') || text.includes('地址');
  return hasContextWord ? detectPii(text) : [];
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

/**
 * The severity of the rule's first hit that its context does not neutralise,
 * with the hit's span left in state.hitStart / hitEnd; undefined when none.
 */
function lexicalHit(
  compiled: CompiledRule,
  state: State,
): Severity | undefined {
  const rule = compiled.rule;
  const parts = state.parts;
  for (const pattern of compiled.patterns) {
    const lists = pattern.lists;
    for (
      let first = firstOf(state, lists[0] ?? 0);
      first !== NONE;
      first = state.next[first] ?? NONE
    ) {
      parts[0] = first;
      const complete = pattern.ordered
        ? extend(state, lists, rule.gapCharsMax)
        : cooccur(state, lists);
      if (!complete) continue;
      cover(state, lists.length);
      const severity = judge(compiled, state, lists.length);
      if (severity !== undefined) return severity;
    }
  }
  return undefined;
}

/** Sets state.hitStart / hitEnd to the span covering the first `count` parts. */
function cover(state: State, count: number): void {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (let at = 0; at < count; at += 1) {
    const part = state.parts[at] ?? 0;
    start = Math.min(start, state.start[part] ?? 0);
    end = Math.max(end, state.end[part] ?? 0);
  }
  state.hitStart = start;
  state.hitEnd = end;
}

/**
 * Each later group starts after the previous one, within the gap, in the
 * sentence of the first (parts[0]); fills state.parts.
 */
function extend(state: State, lists: Int32Array, gapCharsMax: number): boolean {
  const { start, scopes, parts } = state;
  const firstStart = start[parts[0] ?? 0] ?? 0;
  // Later parts start after the first, so "in its sentence" is "before its end".
  const sentenceEnd = scopeEnd(scopes, scopes.sentenceOf, firstStart);
  let end = state.end[parts[0] ?? 0] ?? 0;
  for (let group = 1; group < lists.length; group += 1) {
    let chosen = NONE;
    let chosenStart = 0;
    const to = Math.min(sentenceEnd, end + gapCharsMax + 1);
    someStartingIn(state, indexed(state, lists[group] ?? 0), end, to, (o) => {
      const candidateStart = start[o] ?? 0;
      if (chosen === NONE || candidateStart < chosenStart) {
        chosen = o;
        chosenStart = candidateStart;
      }
      return false;
    });
    if (chosen === NONE) return false;
    parts[group] = chosen;
    end = state.end[chosen] ?? 0;
  }
  return true;
}

/**
 * Every later group occurs in the sentence of the first (parts[0]), not
 * overlapping an earlier part; fills state.parts.
 */
function cooccur(state: State, lists: Int32Array): boolean {
  const { start, end, scopes, parts } = state;
  const firstStart = start[parts[0] ?? 0] ?? 0;
  const from = scopeStart(scopes, scopes.sentenceOf, firstStart);
  const to = scopeEnd(scopes, scopes.sentenceOf, firstStart);
  for (let group = 1; group < lists.length; group += 1) {
    let candidate = NONE;
    const list = indexed(state, lists[group] ?? 0);
    someStartingIn(state, list, from, to, (o) => {
      const candidateStart = start[o] ?? 0;
      const candidateEnd = end[o] ?? 0;
      for (let at = 0; at < group; at += 1) {
        const part = parts[at] ?? 0;
        if (
          candidateStart < (end[part] ?? 0) &&
          candidateEnd > (start[part] ?? 0)
        )
          return false;
      }
      candidate = o;
      return true;
    });
    if (candidate === NONE) return false;
    parts[group] = candidate;
  }
  return true;
}

const NEGATOR = MARKER_LIST.negator;
const NEGATOR_EXCEPTION = MARKER_LIST.negator_exception;
const POST_NEGATOR = MARKER_LIST.post_negator;
const HEDGE = MARKER_LIST.hedge;
const FIRM = MARKER_LIST.firm;
const FRAME = MARKER_LIST.frame;
const FRAME_EXCEPTION = MARKER_LIST.frame_exception;
const REPORTED = MARKER_LIST.reported;

/**
 * The severity of the hit (state.parts, spanning state.hitStart–hitEnd) in
 * its context, or undefined when it is neutralised.
 */
function judge(
  compiled: CompiledRule,
  state: State,
  partCount: number,
): Severity | undefined {
  const rule = compiled.rule;
  const { scopes, hitStart, hitEnd } = state;
  if (compiled.unlessList !== NONE && unlessApplies(compiled, state)) {
    return undefined;
  }
  if (rule.context.quotation) {
    if (isQuoted(scopes, hitStart, hitEnd)) return undefined;
    const reported = indexed(state, REPORTED);
    if (
      precededInClause(
        scopes,
        state,
        reported,
        NONE,
        hitStart,
        REPORTED_REACH_CHARS,
      )
    )
      return undefined;
  }
  if (rule.context.negation) {
    const negators = indexed(state, NEGATOR);
    const exceptions = indexed(state, NEGATOR_EXCEPTION);
    // A co-occurrence is denied when any of its parts is (无法保证…放款).
    for (let at = 0; at < partCount; at += 1) {
      const partStart = state.start[state.parts[at] ?? 0] ?? 0;
      if (
        precededInClause(
          scopes,
          state,
          negators,
          exceptions,
          partStart,
          NEGATION_REACH_CHARS,
        )
      ) {
        return undefined;
      }
    }
    if (followedInClause(scopes, state, indexed(state, POST_NEGATOR), hitEnd))
      return undefined;
  }
  // A fraud warning frames its own sentence and the sentences next to it
  // (您说有人让您先交"解冻费"？那是诈骗。): warnings are short and follow the
  // quoted scam.
  if (
    rule.context.warningFrame &&
    nearSentence(
      scopes,
      state,
      indexed(state, FRAME),
      indexed(state, FRAME_EXCEPTION),
      hitStart,
      hitEnd,
      1,
    )
  ) {
    return undefined;
  }
  if (
    rule.hedgedSeverity !== undefined &&
    inSentence(scopes, state, indexed(state, HEDGE), hitStart, hitEnd)
  ) {
    // A firm word anywhere in the sentence, the hit included, keeps it firm.
    if (!anyInSentence(scopes, state, indexed(state, FIRM), hitStart)) {
      return rule.hedgedSeverity === 'pass' ? undefined : rule.hedgedSeverity;
    }
  }
  return rule.severity;
}

function unlessApplies(compiled: CompiledRule, state: State): boolean {
  const terms = indexed(state, compiled.unlessList);
  if (terms === NONE) return false;
  switch (compiled.unlessScope) {
    case UNLESS_SENTENCE:
      return inSameScope(
        state.scopes,
        state.scopes.sentenceOf,
        state,
        terms,
        state.hitStart,
      );
    case UNLESS_CLAUSE:
      return inSameScope(
        state.scopes,
        state.scopes.clauseOf,
        state,
        terms,
        state.hitStart,
      );
    default:
      return true;
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
