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
  precededInClause,
  type Range,
  type Scopes,
} from './context.js';
import {
  detectPii,
  mayContainLongNumber,
  type PiiHit,
  type PiiKind,
} from './pii-detect.js';
import type {
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
  slots: Map<number, Range[]>;
  markers: Record<Marker, Range[]>;
  unless: Map<number, Range[]>;
  rules: Set<number>;
};

function scan(pack: CompiledPack, text: string): Found {
  const found: Found = {
    slots: new Map(),
    markers: {
      negator: [],
      negator_exception: [],
      post_negator: [],
      hedge: [],
      firm: [],
      frame: [],
      reported: [],
    },
    unless: new Map(),
    rules: new Set(),
  };
  for (const match of pack.matcher.matchInText(text)) {
    const range = { start: match.begin, end: match.end };
    for (const entry of pack.entries.get(match.keyword) ?? []) {
      if (entry.type === 'marker') {
        found.markers[entry.marker].push(range);
      } else if (entry.type === 'slot') {
        pushRange(found.slots, entry.slot, range);
        if (pack.slotGroup[entry.slot] === 0)
          found.rules.add(pack.slotRule[entry.slot] ?? 0);
      } else {
        pushRange(found.unless, entry.rule, range);
      }
    }
  }
  return found;
}

function pushRange(map: Map<number, Range[]>, key: number, range: Range): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [range]);
  else list.push(range);
}

function applies(conditions: RuleConditions, input: CheckInput): boolean {
  if (!conditions.roles.includes(input.role)) return false;
  if (!conditions.recipients.includes(input.recipient)) return false;
  const window = conditions.window;
  if (window === undefined) return true;
  if (input.atMinute === undefined) return false;
  const minute = input.atMinute;
  return window.fromMinute <= window.toMinute
    ? minute >= window.fromMinute && minute < window.toMinute
    : minute >= window.fromMinute || minute < window.toMinute;
}

function checkMessage(pack: CompiledPack, input: CheckInput): CheckResult {
  if (input.text.trim() === '') return { verdict: 'pass', violations: [] };
  const normalized = pack.normalizer.normalize(input.text);
  const found = scan(pack, normalized.text);
  const scopes = computeScopes(normalized.text);
  const toOriginal = (range: Range): [number, number] => [
    normalized.starts[range.start] ?? 0,
    normalized.ends[range.end - 1] ?? input.text.length,
  ];
  const violations: Violation[] = [];
  let pii: PiiHit[] | undefined;
  for (const compiled of pack.rules) {
    if (violations.length >= COMPLIANCE_VIOLATIONS_MAX) break;
    const rule = compiled.rule;
    if (rule.kind === 'lexical' && !found.rules.has(compiled.index)) continue;
    if (!applies(rule.conditions, input)) continue;
    switch (rule.kind) {
      case 'lexical': {
        const hit = lexicalHit(compiled, found, scopes);
        if (hit !== undefined)
          violations.push(
            violationOf(rule, toOriginal(hit.range), hit.severity),
          );
        break;
      }
      case 'pii_id_number':
      case 'pii_bank_card':
      case 'pii_mobile':
      case 'pii_address': {
        pii ??= piiOf(input.text);
        const hit = pii.find(
          (item) => item.kind === PII_KIND_OF_RULE[rule.kind],
        );
        if (hit !== undefined)
          violations.push(violationOf(rule, hit.span, rule.severity));
        break;
      }
      case 'amount_grounding': {
        const span = ungroundedAmount(input);
        if (span !== undefined)
          violations.push(violationOf(rule, span, rule.severity));
        break;
      }
      case 'always':
        violations.push(
          violationOf(rule, [0, input.text.length], rule.severity),
        );
        break;
    }
  }
  return { verdict: verdictOf(violations), violations };
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
    const firsts = found.slots.get(pattern.slots[0] ?? -1) ?? [];
    for (const first of firsts) {
      const range = extend(
        first,
        pattern.slots,
        found,
        scopes,
        rule.gapCharsMax,
      );
      if (range === undefined) continue;
      const severity = judge(rule, compiled.index, range, found, scopes);
      if (severity !== undefined) return { range, severity };
    }
  }
  return undefined;
}

function extend(
  first: Range,
  slots: readonly number[],
  found: Found,
  scopes: Scopes,
  gapCharsMax: number,
): Range | undefined {
  let end = first.end;
  for (let group = 1; group < slots.length; group += 1) {
    const candidates = found.slots.get(slots[group] ?? -1) ?? [];
    let next: Range | undefined;
    for (const candidate of candidates) {
      if (candidate.start < end || candidate.start - end > gapCharsMax)
        continue;
      if (scopes.sentenceOf[candidate.start] !== scopes.sentenceOf[first.start])
        continue;
      if (next === undefined || candidate.start < next.start) next = candidate;
    }
    if (next === undefined) return undefined;
    end = next.end;
  }
  return { start: first.start, end };
}

/** The severity of a hit in its context, or undefined when it is neutralised. */
function judge(
  rule: Rule,
  ruleIndex: number,
  range: Range,
  found: Found,
  scopes: Scopes,
): Severity | undefined {
  const markers = found.markers;
  if (
    rule.unless !== undefined &&
    unlessApplies(rule, found.unless.get(ruleIndex), range, scopes)
  ) {
    return undefined;
  }
  if (rule.context.quotation) {
    if (isQuoted(scopes, range)) return undefined;
    if (precededInClause(scopes, markers.reported, range, REPORTED_REACH_CHARS))
      return undefined;
  }
  if (rule.context.negation) {
    const negators = markers.negator.filter(
      (negator) =>
        !markers.negator_exception.some(
          (ex) => ex.start <= negator.start && ex.end >= negator.end,
        ),
    );
    if (precededInClause(scopes, negators, range, NEGATION_REACH_CHARS))
      return undefined;
    if (followedInClause(scopes, markers.post_negator, range)) return undefined;
  }
  if (rule.context.warningFrame && inSentence(scopes, markers.frame, range))
    return undefined;
  if (
    rule.hedgedSeverity !== undefined &&
    inSentence(scopes, markers.hedge, range)
  ) {
    if (!inSentence(scopes, markers.firm, range)) {
      return rule.hedgedSeverity === 'pass' ? undefined : rule.hedgedSeverity;
    }
  }
  return rule.severity;
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
