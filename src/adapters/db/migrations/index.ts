import type { Migration } from 'kysely';
import * as initialSchema from './2026-11-23_1_initial-schema.js';
import * as reminders from './2026-11-23_2_reminders.js';
import * as delinquency from './2026-11-23_3_delinquency.js';
import * as chat from './2026-11-23_4_chat.js';
import * as ledgerOps from './2026-11-23_5_ledger-ops.js';
import * as eodRuns from './2026-11-23_6_eod-runs.js';
import * as channels from './2026-11-23_7_channels.js';
import * as collections from './2026-11-23_8_collections.js';
import * as qaTraining from './2026-11-23_9_qa-training.js';
import * as negotiationPolicies from './2026-12-08_2_1_negotiation-policies.js';
import * as userSessions from './2026-12-08_3_1_user-sessions.js';
import * as prepaymentTerms from './2026-12-08_3_2_prepayment-terms.js';
import * as idTailIndex from './2026-12-08_4_id-tail-index.js';
import * as teams from './2026-12-08_5_teams.js';

// Every migration, by name, in the order they run. Listed statically (not
// read from the folder at runtime) so the set that ships is the set tested,
// and tsx, bundlers and `node --test` all resolve it the same way.
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-23_1_initial-schema': initialSchema,
  '2026-11-23_2_reminders': reminders,
  '2026-11-23_3_delinquency': delinquency,
  '2026-11-23_4_chat': chat,
  '2026-11-23_5_ledger-ops': ledgerOps,
  '2026-11-23_6_eod-runs': eodRuns,
  '2026-11-23_7_channels': channels,
  '2026-11-23_8_collections': collections,
  '2026-11-23_9_qa-training': qaTraining,
  '2026-12-08_2_1_negotiation-policies': negotiationPolicies,
  '2026-12-08_3_1_user-sessions': userSessions,
  '2026-12-08_3_2_prepayment-terms': prepaymentTerms,
  '2026-12-08_4_id-tail-index': idTailIndex,
  '2026-12-08_5_teams': teams,
};
