import { assert } from '../shared/assert.js';
import { type CompiledClassifier, compileClassifier } from './classifier.js';
import { createMatcher, type Matcher } from './matcher.js';
import { createNormalizer, type Normalizer } from './normalize.js';
import {
  type Category,
  RECIPIENTS,
  ROLES,
  type Rule,
  type RulePack,
  type UnlessScope,
} from './types.js';

// Compiles a rule pack into one Aho-Corasick automaton (matcher.ts) over every term the
// engine looks for (rule patterns, negators, hedges, frames, exceptions), so a
// message is scanned once whatever the size of the pack. The classifier's
// grams are not in it: they are looked up by code units (classifier.ts
// GramTable), and only for messages no rule flagged.

/**
 * Context markers, in list order: marker m's occurrences are list m of a
 * message; pattern groups and `unless` terms have lists of their own after
 * the markers (`CompiledPattern.lists`, `CompiledRule.unlessList`).
 */
export const MARKERS = [
  'negator',
  'negator_exception',
  'post_negator',
  'hedge',
  'firm',
  'frame',
  'frame_exception',
  'reported',
] as const;
export type Marker = (typeof MARKERS)[number];
export const MARKER_LIST: Readonly<Record<Marker, number>> = {
  negator: 0,
  negator_exception: 1,
  post_negator: 2,
  hedge: 3,
  firm: 4,
  frame: 5,
  frame_exception: 6,
  reported: 7,
};

type TermEntry =
  | { type: 'slot'; slot: number; rule: number; group: number }
  | { type: 'marker'; marker: Marker }
  | { type: 'unless'; rule: number };

/** A pattern's groups, as the occurrence list of each group's terms. */
export type CompiledPattern = { lists: Int32Array; ordered: boolean };

/** `unless` scopes as small integers, for the hot path. */
export const UNLESS_MESSAGE = 0;
export const UNLESS_SENTENCE = 1;
export const UNLESS_CLAUSE = 2;

export type CompiledRule = {
  rule: Rule;
  index: number;
  patterns: readonly CompiledPattern[];
  /** The occurrence list of the rule's `unless` terms, or -1. */
  unlessList: number;
  unlessScope: number;
};

export type CompiledPack = {
  version: string;
  normalizer: Normalizer;
  matcher: Matcher;
  /**
   * What each keyword means, flattened: keyword k's entries are
   * [keyEntryStart[k], keyEntryStart[k + 1]) of entryList / entryRule.
   * Each entry appends the occurrence to list entryList[j]; entryRule[j] is
   * the rule whose first pattern group the term belongs to, or -1.
   */
  keyEntryStart: Int32Array;
  entryList: Int32Array;
  entryRule: Int32Array;
  /** Number of occurrence lists: markers, then slots, then unless terms. */
  listCount: number;
  /** Largest number of groups in one pattern. */
  groupsMax: number;
  rules: readonly CompiledRule[];
  classifier: CompiledClassifier | undefined;
  /** For classifier warnings: the first rule of each category. */
  ruleOfCategory: ReadonlyMap<Category, Rule>;
  /** 1 for each rule with a built-in detector (not lexical), by index. */
  isDetector: Uint8Array;
  /**
   * The rules whose role and recipient conditions a message meets, in pack
   * order, at ROLES.indexOf(role) * RECIPIENTS.length + RECIPIENTS.indexOf(recipient).
   */
  rulesFor: readonly Int32Array[];
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
  let slotCount = 0;
  let groupsMax = 1;
  const patternSlots = pack.rules.map((rule, index) => {
    const slots = rule.patterns.map((pattern) => {
      groupsMax = Math.max(groupsMax, pattern.groups.length);
      return pattern.groups.map((terms, group) => {
        const slot = slotCount;
        slotCount += 1;
        for (const term of terms)
          add(term, { type: 'slot', slot, rule: index, group });
        return slot;
      });
    });
    for (const term of rule.unless?.terms ?? []) {
      add(term, { type: 'unless', rule: index });
    }
    return slots;
  });
  const slotList = (slot: number): number => MARKERS.length + slot;
  const unlessList = (rule: number): number =>
    MARKERS.length + slotCount + rule;
  const rules = pack.rules.map(
    (rule, index): CompiledRule => ({
      rule,
      index,
      patterns: rule.patterns.map((pattern, at) => ({
        lists: Int32Array.from(patternSlots[index]?.[at] ?? [], slotList),
        ordered: pattern.ordered,
      })),
      unlessList: rule.unless === undefined ? -1 : unlessList(index),
      unlessScope: UNLESS_SCOPES[rule.unless?.scope ?? 'message'],
    }),
  );
  const classifier =
    pack.classifier === undefined
      ? undefined
      : compileClassifier(pack.classifier);
  assert(entries.size > 0, 'a rule pack has at least one term');
  const keyEntryStart = new Int32Array(entries.size + 1);
  const entryList: number[] = [];
  const entryRule: number[] = [];
  let keyword = 0;
  for (const list of entries.values()) {
    keyEntryStart[keyword] = entryList.length;
    for (const entry of list) {
      if (entry.type === 'marker') {
        entryList.push(MARKER_LIST[entry.marker]);
        entryRule.push(-1);
      } else if (entry.type === 'slot') {
        entryList.push(slotList(entry.slot));
        entryRule.push(entry.group === 0 ? entry.rule : -1);
      } else {
        entryList.push(unlessList(entry.rule));
        entryRule.push(-1);
      }
    }
    keyword += 1;
  }
  keyEntryStart[keyword] = entryList.length;
  return {
    version: pack.version,
    normalizer,
    matcher: createMatcher([...entries.keys()]),
    keyEntryStart,
    entryList: Int32Array.from(entryList),
    entryRule: Int32Array.from(entryRule),
    listCount: MARKERS.length + slotCount + pack.rules.length,
    groupsMax,
    classifier,
    ruleOfCategory: firstRuleOfCategory(pack.rules),
    isDetector: Uint8Array.from(rules, (compiled) =>
      compiled.rule.kind === 'lexical' ? 0 : 1,
    ),
    rulesFor: rulesByAudience(pack.rules),
    rules,
  };
}

const UNLESS_SCOPES: Record<UnlessScope, number> = {
  message: UNLESS_MESSAGE,
  sentence: UNLESS_SENTENCE,
  clause: UNLESS_CLAUSE,
};

/**
 * For each role and recipient, the rules whose conditions name both, in pack
 * order, at ROLES.indexOf(role) * RECIPIENTS.length + RECIPIENTS.indexOf(recipient).
 */
function rulesByAudience(rules: readonly Rule[]): Int32Array[] {
  return ROLES.flatMap((role) =>
    RECIPIENTS.map((recipient) => {
      const indices: number[] = [];
      rules.forEach((rule, index) => {
        const { roles, recipients } = rule.conditions;
        if (roles.includes(role) && recipients.includes(recipient)) {
          indices.push(index);
        }
      });
      return Int32Array.from(indices);
    }),
  );
}

function firstRuleOfCategory(rules: readonly Rule[]): Map<Category, Rule> {
  const first = new Map<Category, Rule>();
  for (const rule of rules) {
    if (!first.has(rule.category)) first.set(rule.category, rule);
  }
  return first;
}
