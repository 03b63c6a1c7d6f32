import { assert } from '../shared/assert.js';
import { type CompiledClassifier, compileClassifier } from './classifier.js';
import { createMatcher, type Matcher } from './matcher.js';
import { createNormalizer, type Normalizer } from './normalize.js';
import type { Category, Rule, RulePack } from './types.js';

// Compiles a rule pack into one Aho-Corasick automaton (matcher.ts) over every term the
// engine looks for (rule patterns, negators, hedges, frames, exceptions), so a
// message is scanned once whatever the size of the pack.

export type Marker =
  | 'negator'
  | 'negator_exception'
  | 'post_negator'
  | 'hedge'
  | 'firm'
  | 'frame'
  | 'frame_exception'
  | 'reported';

export type TermEntry =
  | { type: 'slot'; slot: number; rule: number; group: number }
  | { type: 'marker'; marker: Marker }
  | { type: 'unless'; rule: number }
  | { type: 'gram'; gram: number };

export type CompiledPattern = { slots: readonly number[]; ordered: boolean };

export type CompiledRule = {
  rule: Rule;
  index: number;
  patterns: readonly CompiledPattern[];
};

export type CompiledPack = {
  version: string;
  normalizer: Normalizer;
  matcher: Matcher;
  /** What each keyword of the matcher means (grams aside), by keyword. */
  entries: readonly (readonly TermEntry[] | undefined)[];
  /** The classifier gram of each keyword, or -1, by keyword index. */
  gramOfKeyword: Int32Array;
  rules: readonly CompiledRule[];
  classifier: CompiledClassifier | undefined;
  /** For classifier warnings: the first rule of each category. */
  ruleOfCategory: ReadonlyMap<Category, Rule>;
  /** 1 for each rule with a built-in detector (not lexical), by index. */
  isDetector: Uint8Array;
  /** For each slot: the rule it belongs to and its position in the pattern. */
  slotRule: Int32Array;
  slotGroup: Int32Array;
  slotCount: number;
};

export function compilePack(pack: RulePack): CompiledPack {
  const normalizer = createNormalizer(pack.charMap);
  const aliases = [...pack.aliases].map(([from, to]): [string, string] => [
    normalizer.normalizeTerm(from),
    normalizer.normalizeTerm(to),
  ]);
  const entries = new Map<string, TermEntry[]>();
  const addKey = (key: string, entry: TermEntry): void => {
    const list = entries.get(key);
    if (list === undefined) entries.set(key, [entry]);
    else list.push(entry);
  };
  const add = (term: string, entry: TermEntry): void => {
    const key = normalizer.normalizeTerm(term);
    assert(key.length > 0, () => `term "${term}" normalises to nothing`);
    addKey(key, entry);
    // Evasive spellings match wherever the word they imitate would.
    for (const [from, to] of aliases) {
      if (from !== to && key.includes(to)) addKey(key.replace(to, from), entry);
    }
  };
  const markers: [Marker, readonly string[]][] = [
    ['negator', pack.negators],
    ['negator_exception', pack.negatorExceptions],
    ['post_negator', pack.postNegators],
    ['hedge', pack.hedges],
    ['firm', pack.firmMarkers],
    ['frame', pack.warningFrames],
    ['frame_exception', pack.frameExceptions],
    ['reported', pack.reportedSpeech],
  ];
  for (const [marker, terms] of markers) {
    for (const term of terms) add(term, { type: 'marker', marker });
  }
  const slotRule: number[] = [];
  const slotGroup: number[] = [];
  const rules = pack.rules.map((rule, index): CompiledRule => {
    const patterns = rule.patterns.map((pattern): CompiledPattern => {
      const slots = pattern.groups.map((terms, group) => {
        const slot = slotRule.length;
        slotRule.push(index);
        slotGroup.push(group);
        for (const term of terms)
          add(term, { type: 'slot', slot, rule: index, group });
        return slot;
      });
      return { slots, ordered: pattern.ordered };
    });
    for (const term of rule.unless?.terms ?? []) {
      add(term, { type: 'unless', rule: index });
    }
    return { rule, index, patterns };
  });
  const classifier =
    pack.classifier === undefined
      ? undefined
      : compileClassifier(pack.classifier);
  // Classifier grams ride on the same scan; they are normalised already.
  classifier?.gramKeys.forEach((gram, position) => {
    addKey(gram, { type: 'gram', gram: position });
  });
  assert(entries.size > 0, 'a rule pack has at least one term');
  return {
    version: pack.version,
    normalizer,
    matcher: createMatcher([...entries.keys()]),
    // Grams are split off: they are most matches and need no range.
    entries: [...entries.values()].map((list) => {
      const terms = list.filter((entry) => entry.type !== 'gram');
      return terms.length === 0 ? undefined : terms;
    }),
    gramOfKeyword: Int32Array.from(entries.values(), (list) => {
      const gram = list.find((entry) => entry.type === 'gram');
      return gram?.type === 'gram' ? gram.gram : -1;
    }),
    classifier,
    ruleOfCategory: firstRuleOfCategory(pack.rules),
    isDetector: Uint8Array.from(rules, (compiled) =>
      compiled.rule.kind === 'lexical' ? 0 : 1,
    ),
    rules,
    slotRule: Int32Array.from(slotRule),
    slotGroup: Int32Array.from(slotGroup),
    slotCount: slotRule.length,
  };
}

function firstRuleOfCategory(rules: readonly Rule[]): Map<Category, Rule> {
  const first = new Map<Category, Rule>();
  for (const rule of rules) {
    if (!first.has(rule.category)) first.set(rule.category, rule);
  }
  return first;
}
