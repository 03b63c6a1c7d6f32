// Wire schemas of quality inspection (质检) and training (培训), shared by
// the routes (validation + OpenAPI) and the web workspace.
import { type Static, Type } from '@sinclair/typebox';

const Score = Type.Integer({ minimum: 0, maximum: 100 });
const Count = Type.Integer({ minimum: 0 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const QaEvidence = Type.Object({
  turn: Count,
  span: Type.Array(Count, { minItems: 2, maxItems: 2 }),
  reason: Type.String(),
});

export const QaItem = Type.Object({
  item: Type.String(),
  score: Count,
  max: Count,
  evidence: Type.Array(QaEvidence),
});
export type QaItem = Static<typeof QaItem>;

export const QaScoreOutput = Type.Object({
  id: Type.String(),
  conversation_id: Type.String(),
  speaker: Type.Union([Type.Literal('bot'), Type.Literal('agent')]),
  agent_user_id: Type.Union([Type.String(), Type.Null()]),
  rubric_version: Type.String(),
  score: Score,
  effective_score: Score,
  hard_fail: Type.Boolean(),
  intent: Type.Union([Type.String(), Type.Null()]),
  scored_on: Day,
  items: Type.Array(QaItem),
  override: Type.Union([
    Type.Object({
      score: Score,
      comment: Type.String(),
      by: Type.String(),
      at: Type.String(),
    }),
    Type.Null(),
  ]),
});
export type QaScoreOutput = Static<typeof QaScoreOutput>;

export const QaScoresQuery = Type.Object({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  speaker: Type.Optional(
    Type.Union([Type.Literal('bot'), Type.Literal('agent')]),
  ),
  agent: Type.Optional(Type.String({ maxLength: 64 })),
  hard_fail: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type QaScoresQuery = Static<typeof QaScoresQuery>;

export const QaOverrideInput = Type.Object({
  score: Score,
  comment: Type.String({ minLength: 2, maxLength: 500 }),
});
export type QaOverrideInput = Static<typeof QaOverrideInput>;

export const QaInspectInput = Type.Object({
  date: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const QaInspectOutput = Type.Object({
  conversations: Count,
  scores: Count,
});

const Group = Type.Object({
  key: Type.String(),
  /** A person's display name or a team's name, when the key is an id. */
  name: Type.Optional(Type.String()),
  conversations: Count,
  average: Type.Integer({ minimum: 0, maximum: 100 }),
  hard_fails: Count,
});

const TrendPoint = Type.Object({
  date: Day,
  conversations: Count,
  average: Score,
});

/** Agents' scores by the team the agent belongs to, with its own trend. */
const TeamGroup = Type.Object({
  ...Group.properties,
  trend: Type.Array(TrendPoint),
});

export const QaReportOutput = Type.Object({
  from: Day,
  to: Day,
  total: Count,
  average: Type.Union([Score, Type.Null()]),
  by_speaker: Type.Array(Group),
  by_agent: Type.Array(Group),
  by_intent: Type.Array(Group),
  /** Key `unassigned` gathers agents in no team. */
  by_team: Type.Array(TeamGroup),
  trend: Type.Array(TrendPoint),
  weakest_items: Type.Array(
    Type.Object({ item: Type.String(), share: Type.String() }),
  ),
  worst: Type.Array(QaScoreOutput),
  hard_fails: Type.Array(QaScoreOutput),
});
export type QaReportOutput = Static<typeof QaReportOutput>;

/** A rubric as data: the shape of content/qa/rubric.yaml. */
export const RubricData = Type.Object({
  version: Type.String(),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name_zh: Type.String(),
      max: Type.Integer(),
      hard_fail: Type.Optional(Type.Boolean()),
      description_zh: Type.String(),
    }),
  ),
  phrases: Type.Record(Type.String(), Type.Array(Type.String())),
  jargon: Type.Array(Type.String()),
  long_reply_chars: Type.Integer(),
  clarity_deduction_percent: Type.Integer(),
  compliance_warn_deduction_percent: Type.Integer(),
});
export type RubricData = Static<typeof RubricData>;

export const RubricOutput = Type.Object({
  version: Type.String(),
  source: Type.Union([Type.Literal('file'), Type.Literal('database')]),
  yaml: Type.String(),
  rubric: RubricData,
  created_by: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Union([Type.String(), Type.Null()]),
});
export type RubricOutput = Static<typeof RubricOutput>;

/**
 * A new rubric version: YAML text with its own version, or the editor's
 * data (ranges are checked by the server, which answers in zh-CN naming the
 * field); without a version the server numbers it (<date>.<n>). With
 * `base_version`, the save is refused when another version came into force
 * since the editor loaded it.
 */
export const RubricInput = Type.Object(
  {
    yaml: Type.Optional(Type.String({ minLength: 10, maxLength: 100_000 })),
    rubric: Type.Optional(
      Type.Object({
        ...RubricData.properties,
        version: Type.Optional(Type.String({ maxLength: 40 })),
      }),
    ),
    base_version: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { minProperties: 1 },
);
export type RubricInput = Static<typeof RubricInput>;

export const RubricVersionsOutput = Type.Object({
  in_force: Type.String(),
  file_version: Type.String(),
  items: Type.Array(
    Type.Object({
      version: Type.String(),
      source: Type.Union([Type.Literal('file'), Type.Literal('database')]),
      created_by: Type.Union([Type.String(), Type.Null()]),
      created_at: Type.Union([Type.String(), Type.Null()]),
      /** Stored scores given under this version. */
      scores: Count,
    }),
  ),
});
export type RubricVersionsOutput = Static<typeof RubricVersionsOutput>;

// —— Training (培训) ——

export const PersonaOutput = Type.Object({
  id: Type.String(),
  name_zh: Type.String(),
  difficulty: Type.Integer({ minimum: 1, maximum: 3 }),
  goal_zh: Type.String(),
  variants: Type.Array(
    Type.Object({
      id: Type.String(),
      customer: Type.String(),
      opening: Type.String(),
    }),
  ),
});

export const TrainingStartInput = Type.Object({
  persona_id: Type.String({ maxLength: 64 }),
  variant_id: Type.Optional(Type.String({ maxLength: 16 })),
  exam: Type.Optional(Type.Boolean()),
});

export const TrainingFinding = Type.Object({
  rule: Type.String(),
  category: Type.String(),
  severity: Type.String(),
  span: Type.Array(Count, { minItems: 2, maxItems: 2 }),
  message: Type.String(),
  basis: Type.String(),
  suggestion: Type.String(),
});

export const TrainingTurnOutput = Type.Object({
  agent: Type.String(),
  customer: Type.String(),
  /** Absent in exam mode. */
  anger: Type.Optional(Count),
  findings: Type.Optional(Type.Array(TrainingFinding)),
  /** The agent acts the simulated customer read in the message (absent in exam mode). */
  acts: Type.Optional(Type.Array(Type.String())),
  events: Type.Optional(Type.Array(Type.String())),
});

export const TrainingResultOutput = Type.Object({
  score: Score,
  qa_score: Score,
  hard_fail: Type.Boolean(),
  facts_revealed: Count,
  facts_total: Count,
  goal_met: Type.Boolean(),
  end: Type.String(),
  items: Type.Array(QaItem),
  model_answer: Type.Array(
    Type.Object({ customer: Type.String(), agent: Type.String() }),
  ),
});

export const TrainingSessionOutput = Type.Object({
  id: Type.String(),
  persona_id: Type.String(),
  persona_name: Type.String(),
  goal_zh: Type.String(),
  variant_id: Type.String(),
  customer: Type.String({ description: 'masked name' }),
  opening: Type.String(),
  exam: Type.Boolean(),
  status: Type.Union([Type.Literal('open'), Type.Literal('finished')]),
  turns: Type.Array(TrainingTurnOutput),
  result: Type.Union([TrainingResultOutput, Type.Null()]),
});

export const TrainingMessageInput = Type.Object({
  text: Type.String({ minLength: 1, maxLength: 500 }),
});

export const QuizStartInput = Type.Object({
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});

export const QuizOutput = Type.Object({
  id: Type.String(),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      question: Type.String(),
      options: Type.Optional(Type.Array(Type.String())),
    }),
  ),
});

export const QuizAnswersInput = Type.Object({
  answers: Type.Record(
    Type.String(),
    Type.Union([Type.String({ maxLength: 40 }), Type.Integer()]),
  ),
});

export const QuizGradeOutput = Type.Object({
  id: Type.String(),
  score: Score,
  correct: Count,
  total: Count,
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      correct: Type.Boolean(),
      given: Type.Union([Type.String(), Type.Integer(), Type.Null()]),
      answer: Type.Union([Type.String(), Type.Integer()]),
      explanation: Type.String(),
    }),
  ),
});

export const TrainingReportOutput = Type.Object({
  user_id: Type.String(),
  username: Type.String(),
  /** The trainee's team (班组), if any. */
  team: Type.Union([Type.String(), Type.Null()]),
  sessions: Type.Array(
    Type.Object({
      id: Type.String(),
      date: Day,
      persona_id: Type.String(),
      persona_name: Type.String(),
      exam: Type.Boolean(),
      score: Score,
      hard_fail: Type.Boolean(),
    }),
  ),
  by_persona: Type.Array(
    Type.Object({
      persona_id: Type.String(),
      persona_name: Type.String(),
      sessions: Count,
      best: Score,
      latest: Score,
    }),
  ),
  quizzes: Type.Array(
    Type.Object({ id: Type.String(), date: Day, score: Score, total: Count }),
  ),
  weakest_items: Type.Array(
    Type.Object({ item: Type.String(), share: Type.String() }),
  ),
});
export type TrainingReportOutput = Static<typeof TrainingReportOutput>;

/** The rubric's phrase lists (质检评分表的话术清单), in the order the editor shows them. */
export const RUBRIC_PHRASE_LISTS = [
  'greeting',
  'self_intro',
  'verified',
  'account_detail',
  'confirm_need',
  'empathy',
  'structure',
  'explained',
  'handoff_done',
  'closing',
  'rate_words',
  'not_a_ledger_claim',
] as const;
