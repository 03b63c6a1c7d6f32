// Simulated customers for role-play training (培训陪练), as data. Loaded and
// validated from content/training/personas.yaml by the adapter.

export const PERSONA_MOODS = [
  'angry',
  'neutral',
  'calm',
  'offended',
  'satisfied',
  'verify',
  'bye',
  'hang_up',
] as const;

export type PersonaMood = (typeof PERSONA_MOODS)[number];

export type HiddenFact = {
  readonly id: string;
  /** Words of a question that draws this fact out. */
  readonly triggers: readonly string[];
  readonly text: string;
};

export type ModelTurn = { readonly customer: string; readonly agent: string };

export type PersonaVariant = {
  readonly id: string;
  readonly fullName: string;
  /** How the trainee should address the customer: 周先生. */
  readonly honorific: string;
  readonly phone: string;
  readonly opening: string;
  /** The customer's records in the `loandesk chat` scenario format, if any. */
  readonly setup: unknown;
};

export type Persona = {
  readonly id: string;
  readonly nameZh: string;
  /** 1 (easy) to 3 (hard). */
  readonly difficulty: number;
  readonly goalZh: string;
  /** The customer expects to be verified before account details. */
  readonly needsVerification: boolean;
  /** The caller is not the borrower (a relative): nothing of the account may be told. */
  readonly thirdParty: boolean;
  /** Anger at the start, 0–100. */
  readonly anger: number;
  readonly hiddenFacts: readonly HiddenFact[];
  /** Words of a good answer; the goal is met once enough have been used. */
  readonly solutionTerms: readonly string[];
  readonly solutionNeeded: number;
  readonly lines: Readonly<Record<PersonaMood, readonly string[]>>;
  readonly modelAnswer: readonly ModelTurn[];
  readonly variants: readonly PersonaVariant[];
};
