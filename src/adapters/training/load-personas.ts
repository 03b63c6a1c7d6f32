import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type AgentAct, isAgentAct } from '../../domain/training/agent-acts.js';
import {
  type HiddenFact,
  type ModelTurn,
  PERSONA_MOODS,
  type Persona,
  type PersonaMood,
  type PersonaVariant,
} from '../../domain/training/persona.js';

// Loads and validates the role-play personas (content/training/personas.yaml);
// a bad file is refused with the field named.

export const DEFAULT_PERSONAS_PATH = fileURLToPath(
  new URL('../../../content/training/personas.yaml', import.meta.url),
);

export class PersonaFileError extends Error {
  override readonly name = 'PersonaFileError';
}

type Raw = Record<string, unknown>;

function object(value: unknown, field: string): Raw {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new PersonaFileError(`${field}: must be a mapping`);
  return value as Raw;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new PersonaFileError(`${field}: must be a non-empty list`);
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new PersonaFileError(`${field}: must be a non-empty string`);
  return value;
}

function texts(value: unknown, field: string): string[] {
  return list(value, field).map((entry, i) => text(entry, `${field}[${i}]`));
}

function integer(value: unknown, field: string, min: number, max: number) {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  )
    throw new PersonaFileError(
      `${field}: must be an integer from ${min} to ${max}`,
    );
  return value;
}

function acts(value: unknown, field: string): AgentAct[] {
  return list(value, field).map((entry, i) => {
    if (!isAgentAct(entry))
      throw new PersonaFileError(`${field}[${i}]: unknown agent act`);
    return entry;
  });
}

function fact(value: unknown, field: string): HiddenFact {
  const raw = object(value, field);
  return {
    id: text(raw.id, `${field}.id`),
    askedBy: acts(raw.asked_by, `${field}.asked_by`),
    text: text(raw.text, `${field}.text`),
  };
}

function variant(value: unknown, field: string): PersonaVariant {
  const raw = object(value, field);
  return {
    id: text(raw.id, `${field}.id`),
    fullName: text(raw.full_name, `${field}.full_name`),
    honorific: text(raw.honorific, `${field}.honorific`),
    phone: text(raw.phone, `${field}.phone`),
    opening: text(raw.opening, `${field}.opening`),
    setup: raw.setup ?? null,
  };
}

function modelTurn(value: unknown, field: string): ModelTurn {
  const raw = object(value, field);
  return {
    customer: text(raw.customer, `${field}.customer`),
    agent: text(raw.agent, `${field}.agent`),
  };
}

function persona(value: unknown, index: number): Persona {
  const field = `personas[${index}]`;
  const raw = object(value, field);
  const linesRaw = object(raw.lines, `${field}.lines`);
  const lines = {} as Record<PersonaMood, readonly string[]>;
  for (const mood of PERSONA_MOODS)
    lines[mood] = texts(linesRaw[mood], `${field}.lines.${mood}`);
  const goalActs = acts(raw.goal_acts, `${field}.goal_acts`);
  return {
    id: text(raw.id, `${field}.id`),
    nameZh: text(raw.name_zh, `${field}.name_zh`),
    difficulty: integer(raw.difficulty, `${field}.difficulty`, 1, 3),
    goalZh: text(raw.goal_zh, `${field}.goal_zh`),
    needsVerification: raw.needs_verification === true,
    thirdParty: raw.third_party === true,
    anger: integer(raw.anger, `${field}.anger`, 0, 99),
    hiddenFacts: list(raw.hidden_facts, `${field}.hidden_facts`).map((f, i) =>
      fact(f, `${field}.hidden_facts[${i}]`),
    ),
    goalActs,
    goalNeeded: integer(
      raw.goal_needed,
      `${field}.goal_needed`,
      1,
      goalActs.length,
    ),
    dislikes:
      raw.dislikes === undefined ? [] : acts(raw.dislikes, `${field}.dislikes`),
    lines,
    modelAnswer: list(raw.model_answer, `${field}.model_answer`).map((t, i) =>
      modelTurn(t, `${field}.model_answer[${i}]`),
    ),
    variants: list(raw.variants, `${field}.variants`).map((v, i) =>
      variant(v, `${field}.variants[${i}]`),
    ),
  };
}

export function parsePersonas(source: string): Persona[] {
  const raw = object(parse(source), 'personas file');
  const personas = list(raw.personas, 'personas').map(persona);
  const ids = new Set<string>();
  for (const entry of personas) {
    if (ids.has(entry.id))
      throw new PersonaFileError(`personas: duplicate id ${entry.id}`);
    ids.add(entry.id);
  }
  return personas;
}

export function loadPersonas(path: string = DEFAULT_PERSONAS_PATH): Persona[] {
  return parsePersonas(readFileSync(path, 'utf8'));
}
