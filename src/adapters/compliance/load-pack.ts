import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import * as OpenCC from 'opencc-js';
import { parse } from 'yaml';
import {
  type ComplianceEngine,
  createComplianceEngine,
} from '../../domain/compliance/engine.js';
import type { Pattern, Rule, RulePack } from '../../domain/compliance/types.js';
import { RECIPIENTS, ROLES } from '../../domain/compliance/types.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import {
  type PackHeader,
  PackHeaderSchema,
  type RuleFile,
  RuleListSchema,
} from './pack-schema.js';

// Loads the rule pack from content/compliance/, validates it against the
// schema (pack-schema.ts) and hands the domain a parsed RulePack.

export const DEFAULT_PACK_DIR = fileURLToPath(
  new URL('../../../content/compliance/', import.meta.url),
);

/** Separator between the groups of a sequence pattern: `保证|确保 .. 下款`. */
const GROUP_SEPARATOR = '..';
/** Separator between the groups of a co-occurrence pattern: `下款 && 保证`. */
const COOCCURRENCE_SEPARATOR = '&&';
const DEFAULT_GAP_CHARS_MAX = 12;
const BASIS_REFERENCE = /\b(?:COL|INT|DIS|MKT|CP|PII|AML|FR)-\d{2}\b/;

let traditionalMap: Map<string, string> | undefined;

/**
 * Single-character traditional → simplified map built from opencc-js once per
 * process: per-message conversion with opencc costs more than the whole
 * matching budget, a lookup table costs one array read per character.
 */
export function traditionalCharMap(): ReadonlyMap<string, string> {
  if (traditionalMap !== undefined) return traditionalMap;
  const chars: string[] = [];
  for (let code = 0x3400; code <= 0x9fff; code += 1)
    chars.push(String.fromCharCode(code));
  const joined = chars.join('\n');
  const map = new Map<string, string>();
  for (const from of ['t', 'tw', 'hk', 'jp'] as const) {
    const converted = OpenCC.Converter({ from, to: 'cn' })(joined).split('\n');
    converted.forEach((to: string, index: number) => {
      const source = chars[index];
      if (
        source !== undefined &&
        to.length === 1 &&
        to !== source &&
        !map.has(source)
      ) {
        map.set(source, to);
      }
    });
  }
  traditionalMap = map;
  return map;
}

function schemaErrors(
  file: string,
  schema: Parameters<typeof Value.Errors>[0],
  value: unknown,
): string[] {
  return [...Value.Errors(schema, value)]
    .slice(0, 10)
    .map((error) => `${file}: ${error.path || '/'} ${error.message}`);
}

function toMinute(hourMinute: string): number {
  const [hours, minutes] = hourMinute.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** `a|b .. c|d` is an ordered sequence; `a|b && c|d` a co-occurrence. */
function parsePattern(text: string): Pattern {
  const ordered = !text.includes(COOCCURRENCE_SEPARATOR);
  const separator = ordered ? GROUP_SEPARATOR : COOCCURRENCE_SEPARATOR;
  return {
    ordered,
    groups: text.split(separator).map((group) =>
      group
        .split('|')
        .map((term) => term.trim())
        .filter((term) => term.length > 0),
    ),
  };
}

function toRule(file: RuleFile): Rule {
  const rule: Rule = {
    id: file.id,
    kind: file.kind ?? 'lexical',
    category: file.category,
    severity: file.severity,
    basis: file.basis,
    message: file.message,
    suggestion: file.suggestion,
    conditions: {
      roles: file.roles ?? ROLES,
      recipients: file.recipients ?? RECIPIENTS,
      ...(file.window === undefined
        ? {}
        : {
            window: {
              fromMinute: toMinute(file.window.from),
              toMinute: toMinute(file.window.to),
            },
          }),
    },
    context: {
      negation: file.context?.negation ?? true,
      quotation: file.context?.quotation ?? true,
      warningFrame: file.context?.warning_frame ?? true,
    },
    patterns: (file.patterns ?? []).map(parsePattern),
    gapCharsMax: file.gap_chars_max ?? DEFAULT_GAP_CHARS_MAX,
  };
  if (file.hedged !== undefined) rule.hedgedSeverity = file.hedged;
  if (file.unless !== undefined)
    rule.unless = { scope: file.unless.scope, terms: file.unless.terms };
  return rule;
}

function ruleProblems(rule: Rule, seen: Set<string>): string[] {
  const problems: string[] = [];
  if (seen.has(rule.id)) problems.push(`rule ${rule.id}: duplicate id`);
  seen.add(rule.id);
  if (!BASIS_REFERENCE.test(rule.basis))
    problems.push(`rule ${rule.id}: basis names no rule id of regulations.md`);
  if (rule.kind === 'lexical' && rule.patterns.length === 0)
    problems.push(`rule ${rule.id}: lexical rule without patterns`);
  for (const pattern of rule.patterns) {
    if (pattern.groups.some((group) => group.length === 0))
      problems.push(`rule ${rule.id}: empty group in a pattern`);
  }
  return problems;
}

/** Parses a pack from file contents; pure apart from the opencc map. */
export function parseRulePack(
  headerText: string,
  ruleTexts: ReadonlyMap<string, string>,
  charMap: ReadonlyMap<string, string>,
): Result<RulePack, string[]> {
  const header: unknown = parse(headerText);
  if (!Value.Check(PackHeaderSchema, header))
    return err(schemaErrors('pack.yaml', PackHeaderSchema, header));
  const valid: PackHeader = header;
  const rules: Rule[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of valid.rule_files) {
    const text = ruleTexts.get(name);
    if (text === undefined) {
      problems.push(`${name}: listed in pack.yaml but not found`);
      continue;
    }
    const list: unknown = parse(text);
    if (!Value.Check(RuleListSchema, list)) {
      problems.push(...schemaErrors(name, RuleListSchema, list));
      continue;
    }
    for (const file of list.rules) {
      const rule = toRule(file);
      problems.push(...ruleProblems(rule, seen));
      rules.push(rule);
    }
  }
  if (problems.length > 0) return err(problems);
  const fullCharMap = new Map(charMap);
  for (const [from, to] of Object.entries(valid.char_map))
    fullCharMap.set(from, to);
  return ok({
    version: valid.version,
    charMap: fullCharMap,
    aliases: new Map(Object.entries(valid.aliases)),
    negators: valid.negators,
    negatorExceptions: valid.negator_exceptions,
    postNegators: valid.post_negators,
    hedges: valid.hedges,
    firmMarkers: valid.firm_markers,
    warningFrames: valid.warning_frames,
    frameExceptions: valid.frame_exceptions,
    reportedSpeech: valid.reported_speech,
    rules,
  });
}

/** Reads and validates the pack in a directory (default: content/compliance/). */
export function loadRulePack(
  dir: string = DEFAULT_PACK_DIR,
): Result<RulePack, string[]> {
  const headerText = readFileSync(`${dir}/pack.yaml`, 'utf8');
  const header: unknown = parse(headerText);
  const names = Value.Check(PackHeaderSchema, header) ? header.rule_files : [];
  const ruleTexts = new Map<string, string>();
  for (const name of names) {
    try {
      ruleTexts.set(name, readFileSync(`${dir}/rules/${name}`, 'utf8'));
    } catch {
      // A missing file is reported by parseRulePack as a pack problem.
    }
  }
  return parseRulePack(headerText, ruleTexts, traditionalCharMap());
}

let defaultEngine: ComplianceEngine | undefined;

/**
 * The engine over the repository's pack, built once per process. An invalid
 * pack is an operational error (the product must not run without its rules).
 */
export function defaultComplianceEngine(): ComplianceEngine {
  if (defaultEngine !== undefined) return defaultEngine;
  const pack = loadRulePack();
  if (!pack.ok)
    throw new Error(`invalid compliance rule pack: ${pack.error.join('; ')}`);
  defaultEngine = createComplianceEngine(pack.value);
  return defaultEngine;
}
