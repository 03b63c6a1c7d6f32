import { type Static, Type } from '@sinclair/typebox';

// The on-disk shape of a rule pack (content/compliance/*.yaml), validated at
// load. docs/compliance.md documents every field.

const Term = Type.String({ minLength: 1, maxLength: 80 });
const TermList = Type.Array(Term, { maxItems: 2000 });
/** A pattern: groups joined by `..`, alternatives within a group by `|`. */
const Pattern = Type.String({ minLength: 1, maxLength: 4000 });
const HourMinute = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

export const CategorySchema = Type.Union([
  Type.Literal('promise_approval'),
  Type.Literal('absolute_claim'),
  Type.Literal('misleading_cost'),
  Type.Literal('induce_falsify'),
  Type.Literal('overlending_inducement'),
  Type.Literal('privacy_leak'),
  Type.Literal('third_party_disclosure'),
  Type.Literal('threat_intimidation'),
  Type.Literal('insult_abuse'),
  Type.Literal('impersonate_authority'),
  Type.Literal('unauthorized_payment'),
  Type.Literal('false_waiver_promise'),
]);

export const RuleSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9_]+(\\.[a-z0-9_]+)*$', maxLength: 80 }),
    kind: Type.Optional(
      Type.Union([
        Type.Literal('lexical'),
        Type.Literal('pii_id_number'),
        Type.Literal('pii_bank_card'),
        Type.Literal('pii_mobile'),
        Type.Literal('pii_address'),
        Type.Literal('amount_grounding'),
        Type.Literal('always'),
      ]),
    ),
    category: CategorySchema,
    severity: Type.Union([Type.Literal('block'), Type.Literal('warn')]),
    hedged: Type.Optional(
      Type.Union([
        Type.Literal('block'),
        Type.Literal('warn'),
        Type.Literal('pass'),
      ]),
    ),
    basis: Type.String({ minLength: 4, maxLength: 300 }),
    message: Type.String({ minLength: 2, maxLength: 300 }),
    suggestion: Type.String({ minLength: 2, maxLength: 300 }),
    roles: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Literal('bot'),
          Type.Literal('agent'),
          Type.Literal('collector'),
        ]),
        { minItems: 1 },
      ),
    ),
    recipients: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Literal('customer'),
          Type.Literal('unverified'),
          Type.Literal('third_party'),
        ]),
        { minItems: 1 },
      ),
    ),
    window: Type.Optional(
      Type.Object(
        { from: HourMinute, to: HourMinute },
        { additionalProperties: false },
      ),
    ),
    context: Type.Optional(
      Type.Object(
        {
          negation: Type.Optional(Type.Boolean()),
          quotation: Type.Optional(Type.Boolean()),
          warning_frame: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    patterns: Type.Optional(Type.Array(Pattern, { maxItems: 2000 })),
    gap_chars_max: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
    unless: Type.Optional(
      Type.Object(
        {
          scope: Type.Union([
            Type.Literal('clause'),
            Type.Literal('sentence'),
            Type.Literal('message'),
          ]),
          terms: TermList,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RuleFile = Static<typeof RuleSchema>;

export const PackHeaderSchema = Type.Object(
  {
    version: Type.String({ pattern: '^\\d{4}\\.\\d{1,2}\\.\\d+$' }),
    char_map: Type.Record(Type.String(), Type.String()),
    aliases: Type.Record(Type.String(), Type.String()),
    negators: TermList,
    negator_exceptions: TermList,
    post_negators: TermList,
    hedges: TermList,
    firm_markers: TermList,
    warning_frames: TermList,
    frame_exceptions: TermList,
    reported_speech: TermList,
    classifier: Type.Optional(
      Type.Object(
        {
          file: Type.String({ pattern: '^[a-z0-9-]+\\.json$' }),
          threshold_log_odds: Type.Number({ minimum: -50, maximum: 50 }),
        },
        { additionalProperties: false },
      ),
    ),
    rule_files: Type.Array(Type.String({ pattern: '^[a-z0-9-]+\\.yaml$' }), {
      minItems: 1,
    }),
  },
  { additionalProperties: false },
);
export type PackHeader = Static<typeof PackHeaderSchema>;

export const RuleListSchema = Type.Object(
  { rules: Type.Array(RuleSchema, { minItems: 1 }) },
  { additionalProperties: false },
);

/** content/compliance/classifier.json, written by train-classifier.ts. */
export const ClassifierFileSchema = Type.Object(
  {
    classes: Type.Array(Type.String()),
    class_counts: Type.Array(Type.Integer({ minimum: 0 })),
    grams: Type.Record(Type.String(), Type.Array(Type.Integer({ minimum: 0 }))),
  },
  { additionalProperties: false },
);
export type ClassifierFile = Static<typeof ClassifierFileSchema>;
