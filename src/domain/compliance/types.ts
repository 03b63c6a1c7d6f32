import type { ClassifierModel } from './classifier.js';

// Types of the compliance engine. The rule pack is data (content/compliance/);
// these types describe the parsed, validated pack that the domain receives.

export const CATEGORIES = [
  'promise_approval',
  'absolute_claim',
  'misleading_cost',
  'induce_falsify',
  'overlending_inducement',
  'privacy_leak',
  'third_party_disclosure',
  'threat_intimidation',
  'insult_abuse',
  'impersonate_authority',
  'unauthorized_payment',
  'false_waiver_promise',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const ROLES = ['bot', 'agent', 'collector'] as const;
export type Role = (typeof ROLES)[number];

export const RECIPIENTS = ['customer', 'unverified', 'third_party'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

export type Severity = 'block' | 'warn';
export type Verdict = 'pass' | 'warn' | 'block';

/**
 * How a rule finds its hits. `lexical` rules use the pack's patterns; the
 * other kinds are built-in detectors whose metadata (basis, message,
 * conditions) still comes from the pack.
 */
export const RULE_KINDS = [
  'lexical',
  'pii_id_number',
  'pii_bank_card',
  'pii_mobile',
  'pii_address',
  'amount_grounding',
  'always',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Minutes since local midnight, both ends; `from > to` wraps midnight. */
export type MinuteWindow = { fromMinute: number; toMinute: number };

export type RuleConditions = {
  roles: readonly Role[];
  recipients: readonly Recipient[];
  /** The rule applies only when the message is sent inside this window. */
  window?: MinuteWindow;
};

/** Which context frames neutralise a hit of this rule. */
export type ContextPolicy = {
  negation: boolean;
  quotation: boolean;
  warningFrame: boolean;
};

/**
 * Groups of alternative terms. Ordered: each group follows the previous one
 * within `gapCharsMax`. Unordered: every group occurs somewhere in the same
 * sentence (co-occurrence evidence, typically a warning-level rule).
 */
export type Pattern = {
  groups: readonly (readonly string[])[];
  ordered: boolean;
};

export type UnlessScope = 'clause' | 'sentence' | 'message';

export type Rule = {
  id: string;
  kind: RuleKind;
  category: Category;
  severity: Severity;
  /** Severity when the statement is hedged; undefined: hedging changes nothing. */
  hedgedSeverity?: Severity | 'pass';
  basis: string;
  message: string;
  suggestion: string;
  conditions: RuleConditions;
  context: ContextPolicy;
  patterns: readonly Pattern[];
  /** Largest gap, in normalised characters, between consecutive groups. */
  gapCharsMax: number;
  unless?: { scope: UnlessScope; terms: readonly string[] };
};

export type RulePack = {
  version: string;
  /** Single characters mapped before matching (traditional → simplified …). */
  charMap: ReadonlyMap<string, string>;
  /** Evasive spellings mapped to a canonical term (fa院 → 法院). */
  aliases: ReadonlyMap<string, string>;
  negators: readonly string[];
  /** Words after a trigger that deny it (…是不存在的, …是假的). */
  postNegators: readonly string[];
  /** Words that are not negations even though they start like one (不还). */
  negatorExceptions: readonly string[];
  hedges: readonly string[];
  /** Firm words that keep a statement firm despite a hedge (保证, 100%). */
  firmMarkers: readonly string[];
  warningFrames: readonly string[];
  /** Words that contain a frame word but frame nothing (诈骗罪 in a threat). */
  frameExceptions: readonly string[];
  reportedSpeech: readonly string[];
  rules: readonly Rule[];
  /** Optional statistical backstop that may add warnings (classifier.ts). */
  classifier?: ClassifierModel;
};

export type Violation = {
  rule: string;
  category: Category;
  /** [start, end) in UTF-16 code units of the original text. */
  span: [number, number];
  message: string;
  basis: string;
  severity: Severity;
  suggestion: string;
};

export type CheckResult = { verdict: Verdict; violations: Violation[] };

/** Ledger facts the engine may ground amounts against (COL-07). */
export type AccountFacts = {
  /** Every amount that is true for this account, in fen. */
  amountsFen: readonly bigint[];
};

export type CheckInput = {
  text: string;
  role: Role;
  recipient: Recipient;
  /** Local time of sending, minutes since the recipient's midnight. */
  atMinute?: number;
  facts?: AccountFacts;
};

/** The zh-CN names of the categories (spec/taxonomy.md). */
export const CATEGORY_NAME_ZH: Record<Category, string> = {
  promise_approval: '承诺审批/放款',
  absolute_claim: '绝对化宣传',
  misleading_cost: '误导资金成本',
  induce_falsify: '诱导造假',
  overlending_inducement: '诱导过度借贷',
  privacy_leak: '泄露隐私',
  third_party_disclosure: '向第三方披露债务',
  threat_intimidation: '威胁恐吓',
  insult_abuse: '侮辱谩骂',
  impersonate_authority: '冒充公检法',
  unauthorized_payment: '非官方收款',
  false_waiver_promise: '虚假减免承诺',
};
