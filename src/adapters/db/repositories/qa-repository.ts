import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database, QaScoresTable } from '../schema.js';
import { appendAudit } from './audit-repository.js';
import {
  inTransaction,
  optional,
  type RepositoryDeps,
} from './repository-context.js';

// Quality-inspection scores (质检) of finished conversations, one per
// conversation and speaker, and the rubric versions an admin saved. A
// supervisor's override keeps the automatic score beside it and is written to
// the audit log in the same transaction.

export type QaSpeakerColumn = 'bot' | 'agent';

export type StoredQaItem = {
  readonly item: string;
  readonly score: number;
  readonly max: number;
  readonly evidence: readonly {
    turn: number;
    span: readonly [number, number];
    reason: string;
  }[];
};

export type NewQaScore = {
  readonly conversationId: string;
  readonly speaker: QaSpeakerColumn;
  readonly agentUserId: string | undefined;
  readonly rubricVersion: string;
  readonly score: number;
  readonly hardFail: boolean;
  readonly items: readonly StoredQaItem[];
  readonly intent: string | undefined;
  readonly scoredOn: string;
};

export type QaScoreRecord = NewQaScore & {
  readonly id: string;
  readonly createdAt: string;
  readonly override:
    | {
        readonly score: number;
        readonly comment: string;
        readonly by: string;
        readonly at: string;
      }
    | undefined;
  /** The score that counts: the override when there is one. */
  readonly effectiveScore: number;
};

export type QaScoreFilter = {
  readonly from?: string;
  readonly to?: string;
  readonly speaker?: QaSpeakerColumn;
  readonly agentUserId?: string;
  readonly hardFailOnly?: boolean;
  readonly limit: number;
};

const SCORE_MAX = 100;

function toRecord(row: Selectable<QaScoresTable>): QaScoreRecord {
  const score = Number(row.score);
  const override =
    row.override_score === null
      ? undefined
      : {
          score: Number(row.override_score),
          comment: row.override_comment ?? '',
          by: row.override_by ?? '',
          at: row.override_at ?? '',
        };
  return {
    id: row.id,
    conversationId: row.conversation_id,
    speaker: row.speaker as QaSpeakerColumn,
    agentUserId: optional(row.agent_user_id),
    rubricVersion: row.rubric_version,
    score,
    hardFail: row.hard_fail === 1n,
    items: JSON.parse(row.items) as StoredQaItem[],
    intent: optional(row.intent),
    scoredOn: row.scored_on,
    createdAt: row.created_at,
    override,
    effectiveScore: override?.score ?? score,
  };
}

export type QaOverrideError =
  | { readonly code: 'qa.not_found' }
  | { readonly code: 'qa.score_out_of_range' };

export class QaRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly deps: RepositoryDeps,
  ) {}

  /** Finished conversations with no score yet, oldest first. */
  async unscoredClosedConversations(limit: number): Promise<
    {
      id: string;
      assignedUserId: string | undefined;
      lastIntent: string | undefined;
    }[]
  > {
    const rows = await this.db
      .selectFrom('conversations')
      .leftJoin('qa_scores', 'qa_scores.conversation_id', 'conversations.id')
      .select([
        'conversations.id',
        'conversations.assigned_user_id',
        'conversations.last_intent',
      ])
      .where('conversations.status', '=', 'closed')
      .where('qa_scores.id', 'is', null)
      .orderBy('conversations.updated_at')
      .orderBy('conversations.id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      assignedUserId: optional(row.assigned_user_id),
      lastIntent: optional(row.last_intent),
    }));
  }

  /** Stores a score; a conversation and speaker already scored is left as it is. */
  async save(score: NewQaScore): Promise<boolean> {
    const result = await this.db
      .insertInto('qa_scores')
      .values({
        id: this.deps.newId('qa'),
        conversation_id: score.conversationId,
        speaker: score.speaker,
        agent_user_id: score.agentUserId ?? null,
        rubric_version: score.rubricVersion,
        score: BigInt(score.score),
        hard_fail: score.hardFail ? 1n : 0n,
        items: JSON.stringify(score.items),
        intent: score.intent ?? null,
        scored_on: score.scoredOn,
        created_at: this.deps.now(),
        override_score: null,
        override_comment: null,
        override_by: null,
        override_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['conversation_id', 'speaker']).doNothing(),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  async findById(id: string): Promise<QaScoreRecord | undefined> {
    const row = await this.db
      .selectFrom('qa_scores')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }

  async listByConversation(conversationId: string): Promise<QaScoreRecord[]> {
    const rows = await this.db
      .selectFrom('qa_scores')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('speaker')
      .execute();
    return rows.map(toRecord);
  }

  /** Scores, worst first (the effective score: an override counts). */
  async list(filter: QaScoreFilter): Promise<QaScoreRecord[]> {
    let query = this.db.selectFrom('qa_scores').selectAll();
    if (filter.from !== undefined)
      query = query.where('scored_on', '>=', filter.from);
    if (filter.to !== undefined)
      query = query.where('scored_on', '<=', filter.to);
    if (filter.speaker !== undefined)
      query = query.where('speaker', '=', filter.speaker);
    if (filter.agentUserId !== undefined)
      query = query.where('agent_user_id', '=', filter.agentUserId);
    if (filter.hardFailOnly === true) query = query.where('hard_fail', '=', 1n);
    const rows = await query
      .orderBy(sql`coalesce(override_score, score)`)
      .orderBy('scored_on', 'desc')
      .orderBy('id')
      .limit(filter.limit)
      .execute();
    return rows.map(toRecord);
  }

  /** A supervisor's score with a comment, audited in the same transaction. */
  async override(
    id: string,
    input: { readonly score: number; readonly comment: string },
    who: { readonly actor: string; readonly userId: string },
  ): Promise<
    { ok: true; value: QaScoreRecord } | { ok: false; error: QaOverrideError }
  > {
    if (
      !Number.isInteger(input.score) ||
      input.score < 0 ||
      input.score > SCORE_MAX
    )
      return { ok: false, error: { code: 'qa.score_out_of_range' } };
    return inTransaction(this.db, async (tx) => {
      const row = await tx
        .selectFrom('qa_scores')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (row === undefined)
        return { ok: false, error: { code: 'qa.not_found' } };
      const at = this.deps.now();
      await tx
        .updateTable('qa_scores')
        .set({
          override_score: BigInt(input.score),
          override_comment: input.comment,
          override_by: who.userId,
          override_at: at,
        })
        .where('id', '=', id)
        .execute();
      await appendAudit(
        tx,
        {
          actor: who.actor,
          action: 'qa.override',
          subjectType: 'qa_score',
          subjectId: id,
          details: {
            conversation_id: row.conversation_id,
            speaker: row.speaker,
            automatic_score: Number(row.score),
            previous_override:
              row.override_score === null ? null : Number(row.override_score),
            score: input.score,
            comment: input.comment,
          },
        },
        at,
      );
      const updated = await tx
        .selectFrom('qa_scores')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { ok: true, value: toRecord(updated) };
    });
  }

  /** Saves a new rubric version (audited); an existing version is refused. */
  async saveRubric(
    version: string,
    body: string,
    createdBy: string,
  ): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const at = this.deps.now();
      const result = await tx
        .insertInto('qa_rubrics')
        .values({ version, body, created_by: createdBy, created_at: at })
        .onConflict((oc) => oc.column('version').doNothing())
        .executeTakeFirst();
      if ((result.numInsertedOrUpdatedRows ?? 0n) === 0n) return false;
      await appendAudit(
        tx,
        {
          actor: createdBy,
          action: 'qa.rubric_saved',
          subjectType: 'qa_rubric',
          subjectId: version,
          details: { bytes: body.length },
        },
        at,
      );
      return true;
    });
  }

  /** The rubric saved last, if an admin ever saved one. */
  async latestRubric(): Promise<
    | { version: string; body: string; createdBy: string; createdAt: string }
    | undefined
  > {
    const row = await this.db
      .selectFrom('qa_rubrics')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          version: row.version,
          body: row.body,
          createdBy: row.created_by,
          createdAt: row.created_at,
        };
  }

  /** Every saved rubric version, newest first, without the text. */
  async listRubrics(): Promise<
    { version: string; createdBy: string; createdAt: string }[]
  > {
    const rows = await this.db
      .selectFrom('qa_rubrics')
      .select(['version', 'created_by', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => ({
      version: row.version,
      createdBy: row.created_by,
      createdAt: row.created_at,
    }));
  }

  async findRubric(
    version: string,
  ): Promise<
    | { version: string; body: string; createdBy: string; createdAt: string }
    | undefined
  > {
    const row = await this.db
      .selectFrom('qa_rubrics')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          version: row.version,
          body: row.body,
          createdBy: row.created_by,
          createdAt: row.created_at,
        };
  }

  /** rubric version → how many stored scores were given under it. */
  async scoresByRubricVersion(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('qa_scores')
      .select((eb) => ['rubric_version', eb.fn.countAll<bigint>().as('n')])
      .groupBy('rubric_version')
      .execute();
    return new Map(rows.map((row) => [row.rubric_version, Number(row.n)]));
  }
}
