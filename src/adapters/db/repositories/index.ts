import type { Kysely } from 'kysely';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { Database } from '../schema.js';
import {
  ApplicationRepository,
  type ApplicationTransitionError,
} from './application-repository.js';
import { ChannelRepository } from './channel-repository.js';
import { CollectionRepository } from './collection-repository.js';
import { CollectionWorkRepository } from './collection-work-repository.js';
import { ComplaintRepository } from './complaint-repository.js';
import { ConversationRepository } from './conversation-repository.js';
import {
  type CustomerError,
  CustomerRepository,
} from './customer-repository.js';
import { LoanRepository, type LoanTransitionError } from './loan-repository.js';
import { NegotiationRepository } from './negotiation-repository.js';
import { type PaymentError, PaymentRepository } from './payment-repository.js';
import { ProductRepository } from './product-repository.js';
import { QaRepository } from './qa-repository.js';
import type { RepositoryDeps } from './repository-context.js';
import { TeamRepository } from './team-repository.js';
import { TrainingRepository } from './training-repository.js';
import { type UserError, UserRepository } from './user-repository.js';

// Every repository over one database handle. Over a transaction, they all
// write in that transaction:
//
//   await db.transaction().execute(async (tx) => {
//     const r = createRepositories(tx, deps, cipher);
//     await r.applications.transition(appId, { type: 'disburse' }, who);
//     await r.loans.createFromSchedule({ … }, who.actor);
//   });

/**
 * Every refusal code a repository returns, for the HTTP layer's
 * `errorHttpStatus: Record<StorageErrorCode, number>` and zh-CN messages.
 */
export type StorageErrorCode =
  | CustomerError['code']
  | ApplicationTransitionError['code']
  | LoanTransitionError['code']
  | PaymentError['code']
  | UserError['code'];

export type Repositories = ReturnType<typeof createRepositories>;

export function createRepositories(
  db: Kysely<Database>,
  deps: RepositoryDeps,
  cipher: FieldCipher,
) {
  return {
    customers: new CustomerRepository(db, deps, cipher),
    products: new ProductRepository(db, deps),
    applications: new ApplicationRepository(db, deps),
    loans: new LoanRepository(db, deps),
    payments: new PaymentRepository(db, deps),
    collections: new CollectionRepository(db, deps),
    collectionWork: new CollectionWorkRepository(db, deps),
    negotiations: new NegotiationRepository(db, deps),
    conversations: new ConversationRepository(db, deps, cipher),
    complaints: new ComplaintRepository(db, deps),
    channels: new ChannelRepository(db, deps, cipher),
    users: new UserRepository(db, deps),
    teams: new TeamRepository(db, deps),
    qa: new QaRepository(db, deps),
    training: new TrainingRepository(db, deps),
  };
}
