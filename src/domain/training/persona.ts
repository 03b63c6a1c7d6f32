// Simulated customers for role-play training (培训陪练), as data. Loaded and
// validated from content/training/personas.yaml by the adapter.

import type { AgentAct } from './agent-acts.js';

export const PERSONA_MOODS = [
  'angry',
  'neutral',
  'calm',
  'offended',
  'satisfied',
  'verify',
  'doubt',
  'bye',
  'hang_up',
] as const;

export type PersonaMood = (typeof PERSONA_MOODS)[number];

export type HiddenFact = {
  readonly id: string;
  /** The agent acts (asked as a question) that draw this fact out. */
  readonly askedBy: readonly AgentAct[];
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
  /** Acts of a good answer; the goal is met once `goalNeeded` of them were done. */
  readonly goalActs: readonly AgentAct[];
  readonly goalNeeded: number;
  /** Acts that make this customer angrier (催还款 to someone who lost a job). */
  readonly dislikes: readonly AgentAct[];
  readonly lines: Readonly<Record<PersonaMood, readonly string[]>>;
  readonly modelAnswer: readonly ModelTurn[];
  readonly variants: readonly PersonaVariant[];
};
