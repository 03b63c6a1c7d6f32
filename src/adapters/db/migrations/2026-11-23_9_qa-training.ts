// biome-ignore-all lint/style/useFilenamingConvention: migration files are named <yyyy-mm-dd>_<n>_<name> so they sort in the order they run.
// biome-ignore-all lint/suspicious/noExplicitAny: a frozen migration sees the database as Kysely<any> (Kysely docs, Migrations).
// Frozen in time: imports nothing from src/.
//
// Quality inspection (质检) and training (培训):
// - qa_scores: one score per finished conversation and speaker (bot, agent),
//   with the rubric version, the items and their evidence (JSON), and a
//   supervisor's override (audited in the audit log as well);
// - qa_rubrics: every version of the rubric an admin saved (YAML text);
// - training_sessions: a trainee's role-play against a simulated customer;
// - quiz_attempts: a graded knowledge quiz (the quiz is its seed and count).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('qa_scores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id'),
    )
    // bot | agent
    .addColumn('speaker', 'text', (c) => c.notNull())
    .addColumn('agent_user_id', 'text')
    .addColumn('rubric_version', 'text', (c) => c.notNull())
    .addColumn('score', 'bigint', (c) => c.notNull())
    .addColumn('hard_fail', 'bigint', (c) => c.notNull())
    // JSON: [{item, score, max, evidence:[{turn, span, reason}]}]
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('intent', 'text')
    // Business date of the inspection (for trends).
    .addColumn('scored_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('override_score', 'bigint')
    .addColumn('override_comment', 'text')
    .addColumn('override_by', 'text')
    .addColumn('override_at', 'text')
    .addUniqueConstraint('qa_scores_conversation_speaker', [
      'conversation_id',
      'speaker',
    ])
    .execute();
  await db.schema
    .createIndex('qa_scores_scored_on')
    .on('qa_scores')
    .columns(['scored_on', 'score'])
    .execute();
  await db.schema
    .createTable('qa_rubrics')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('training_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('persona_id', 'text', (c) => c.notNull())
    .addColumn('variant_id', 'text', (c) => c.notNull())
    .addColumn('exam', 'bigint', (c) => c.notNull())
    // open | finished
    .addColumn('status', 'text', (c) => c.notNull())
    // JSON of the simulator state and of the turns so far.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('turns', 'text', (c) => c.notNull())
    // JSON of the outcome and the rubric items, once finished.
    .addColumn('result', 'text')
    .addColumn('score', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_sessions_user')
    .on('training_sessions')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('quiz_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('item_count', 'bigint', (c) => c.notNull())
    .addColumn('score', 'bigint')
    // JSON of the graded items, once answered.
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('graded_at', 'text')
    .execute();
  await db.schema
    .createIndex('quiz_attempts_user')
    .on('quiz_attempts')
    .columns(['user_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quiz_attempts').execute();
  await db.schema.dropTable('training_sessions').execute();
  await db.schema.dropTable('qa_rubrics').execute();
  await db.schema.dropTable('qa_scores').execute();
}
