import type { Kysely } from 'kysely';
import type { FieldCipher } from '../../crypto/field-cipher.js';
import type { Database } from '../schema.js';
import { createApplicationRepository } from './application-repository.js';
import { createCollectionRepository } from './collection-repository.js';
import { createConversationRepository } from './conversation-repository.js';
import { createCustomerRepository } from './customer-repository.js';
import { createLoanRepository } from './loan-repository.js';
import { createPaymentRepository } from './payment-repository.js';
import { createProductRepository } from './product-repository.js';
import type { RepositoryDeps } from './repository-context.js';
import { createUserRepository } from './user-repository.js';

// Every repository over one database handle. Over a transaction, they all
// write in that transaction:
//
//   await db.transaction().execute(async (tx) => {
//     const r = createRepositories(tx, deps, cipher);
//     await r.applications.transition(appId, { type: 'disburse' }, who);
//     await r.loans.createFromSchedule({ … }, who.actor);
//   });

export type Repositories = ReturnType<typeof createRepositories>;

export function createRepositories(
  db: Kysely<Database>,
  deps: RepositoryDeps,
  cipher: FieldCipher,
) {
  return {
    customers: createCustomerRepository(db, deps, cipher),
    products: createProductRepository(db, deps),
    applications: createApplicationRepository(db, deps),
    loans: createLoanRepository(db, deps),
    payments: createPaymentRepository(db, deps),
    collections: createCollectionRepository(db, deps),
    conversations: createConversationRepository(db, deps),
    users: createUserRepository(db, deps),
  };
}
