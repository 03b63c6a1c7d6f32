// Wire types of the training routes (/api/v1/training/…), from the shared
// contracts (TypeBox schemas in src/contracts/qa.ts).
import type { Static } from '@sinclair/typebox';
import type {
  PersonaOutput,
  QuizGradeOutput,
  QuizOutput,
  TrainingReportOutput,
  TrainingSessionOutput,
} from '../../../../src/contracts/qa.js';

export type Persona = Static<typeof PersonaOutput>;
export type TrainingSession = Static<typeof TrainingSessionOutput>;
export type Quiz = Static<typeof QuizOutput>;
export type QuizGrade = Static<typeof QuizGradeOutput>;
export type TrainingReport = TrainingReportOutput;
