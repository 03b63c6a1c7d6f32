import type { Kysely, Selectable } from 'kysely';
import type {
  Database,
  QuizAttemptsTable,
  TrainingSessionsTable,
} from '../schema.js';
import { optional, type RepositoryDeps } from './repository-context.js';

// Training records (培训): role-play sessions against simulated customers and
// graded quizzes, per trainee. The simulator state and the turns are JSON
// written by the training adapter; this repository only keeps them.

export type TrainingSessionRecord = {
  readonly id: string;
  readonly userId: string;
  readonly personaId: string;
  readonly variantId: string;
  readonly exam: boolean;
  readonly status: 'open' | 'finished';
  readonly state: string;
  readonly turns: string;
  readonly result: string | undefined;
  readonly score: number | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type QuizAttemptRecord = {
  readonly id: string;
  readonly userId: string;
  readonly seed: number;
  readonly itemCount: number;
  readonly score: number | undefined;
  readonly result: string | undefined;
  readonly createdAt: string;
  readonly gradedAt: string | undefined;
};

function toSession(
  row: Selectable<TrainingSessionsTable>,
): TrainingSessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    personaId: row.persona_id,
    variantId: row.variant_id,
    exam: row.exam === 1n,
    status: row.status as 'open' | 'finished',
    state: row.state,
    turns: row.turns,
    result: optional(row.result),
    score: row.score === null ? undefined : Number(row.score),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toAttempt(row: Selectable<QuizAttemptsTable>): QuizAttemptRecord {
  return {
    id: row.id,
    userId: row.user_id,
    seed: Number(row.seed),
    itemCount: Number(row.item_count),
    score: row.score === null ? undefined : Number(row.score),
    result: optional(row.result),
    createdAt: row.created_at,
    gradedAt: optional(row.graded_at),
  };
}

export class TrainingRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  async openSession(input: {
    readonly userId: string;
    readonly personaId: string;
    readonly variantId: string;
    readonly exam: boolean;
    readonly state: string;
  }): Promise<TrainingSessionRecord> {
    const now = this.deps.now();
    const row = {
      id: this.deps.newId('trn'),
      user_id: input.userId,
      persona_id: input.personaId,
      variant_id: input.variantId,
      exam: input.exam ? 1n : 0n,
      status: 'open',
      state: input.state,
      turns: '[]',
      result: null,
      score: null,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('training_sessions').values(row).execute();
    return toSession(row);
  }

  async findSession(id: string): Promise<TrainingSessionRecord | undefined> {
    const row = await this.db
      .selectFrom('training_sessions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toSession(row);
  }

  /** Saves a turn; `expectedUpdatedAt` guards against two tabs writing at once. */
  async saveProgress(
    id: string,
    update: {
      readonly state: string;
      readonly turns: string;
      readonly result?: string;
      readonly score?: number;
    },
    expectedUpdatedAt: string,
  ): Promise<boolean> {
    const finished = update.result !== undefined;
    const result = await this.db
      .updateTable('training_sessions')
      .set({
        state: update.state,
        turns: update.turns,
        updated_at: this.deps.now(),
        ...(finished
          ? {
              status: 'finished',
              result: update.result ?? null,
              score: BigInt(update.score ?? 0),
            }
          : {}),
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where('updated_at', '=', expectedUpdatedAt)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async listSessions(
    userId: string,
    limit: number,
  ): Promise<TrainingSessionRecord[]> {
    const rows = await this.db
      .selectFrom('training_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toSession);
  }

  async createQuiz(
    userId: string,
    seed: number,
    itemCount: number,
  ): Promise<QuizAttemptRecord> {
    const row = {
      id: this.deps.newId('quiz'),
      user_id: userId,
      seed: BigInt(seed),
      item_count: BigInt(itemCount),
      score: null,
      result: null,
      created_at: this.deps.now(),
      graded_at: null,
    };
    await this.db.insertInto('quiz_attempts').values(row).execute();
    return toAttempt(row);
  }

  async findQuiz(id: string): Promise<QuizAttemptRecord | undefined> {
    const row = await this.db
      .selectFrom('quiz_attempts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toAttempt(row);
  }

  /** Grades once: a quiz already graded keeps its first answers. */
  async gradeQuiz(id: string, score: number, result: string): Promise<boolean> {
    const updated = await this.db
      .updateTable('quiz_attempts')
      .set({ score: BigInt(score), result, graded_at: this.deps.now() })
      .where('id', '=', id)
      .where('graded_at', 'is', null)
      .executeTakeFirst();
    return updated.numUpdatedRows > 0n;
  }

  async listQuizzes(
    userId: string,
    limit: number,
  ): Promise<QuizAttemptRecord[]> {
    const rows = await this.db
      .selectFrom('quiz_attempts')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toAttempt);
  }
}
