// Proves SQLite and PostgreSQL are interchangeable behind the repositories:
// the same writes (with a deterministic clock and ids) read back as
// identical domain objects on every dialect — amounts as bigint fen, counts
// as numbers — and even the audit chain's head hash is the same, so the
// canonical content hashed on both is byte-identical.
import { describe, expect, it } from 'vitest';
import type { DialectName } from '../../src/adapters/db/kysely-database.js';
import {
  listAuditForSubject,
  verifyAuditChain,
} from '../../src/adapters/db/repositories/audit-repository.js';
import type { Repositories } from '../../src/adapters/db/repositories/index.js';
import { fen } from '../../src/domain/money/fen.js';
import { assert } from '../../src/domain/shared/assert.js';
import { calendarDate } from '../../src/domain/shared/calendar-date.js';
import { DIALECTS, openTestDatabase } from './dialects.js';
import { AGENT, repositoriesFor, seedLoan } from './fixtures.js';

type ScriptIds = {
  customerId: string;
  loanId: string;
  contactId: string;
  conversationId: string;
};

// The writes: one of every kind the repositories offer.
async function writeScript(r: Repositories): Promise<ScriptIds> {
  const { customerId, loan, schedule } = await seedLoan(r);
  const contact = await r.customers.addEmergencyContact({
    customerId,
    name: '王大明',
    phone: '13700003333',
    relation: 'parent',
  });
  const first = schedule.installments[0];
  assert(first !== undefined, 'installment');
  const posted = await r.payments.post(
    {
      idempotencyKey: 'parity-1',
      loanId: loan.id,
      amountFen: fen(first.paymentFen - 1n),
      paidOn: calendarDate('2026-02-10'),
      channel: 'wechat',
      allocations: [
        {
          n: 1,
          feeFen: fen(0n),
          penaltyFen: fen(0n),
          interestFen: first.interestFen,
          principalFen: fen(first.principalFen - 1n),
        },
      ],
    },
    AGENT,
  );
  assert(posted.ok, 'post');
  await r.payments.reverse(
    {
      idempotencyKey: 'parity-2',
      paymentId: posted.value.payment.id,
      reason: '退票',
    },
    AGENT,
  );
  await r.loans.transition(
    loan.id,
    { type: 'miss_payment' },
    { actor: 'system:eod', reason: '日终' },
  );
  const promise = await r.collections.recordPromise(
    {
      loanId: loan.id,
      amountFen: fen(1_000_00n),
      promisedOn: calendarDate('2026-03-01'),
    },
    AGENT,
  );
  await r.collections.resolvePromise(promise.id, 'broken', 'system:eod');
  await r.collections.logContact({
    customerId,
    loanId: loan.id,
    channel: 'phone',
    target: 'debtor',
    outcome: 'no_answer',
    contactedAt: '2026-03-02T10:00:00+08:00',
  });
  const conversationId = await writeService(r, customerId);
  return { customerId, loanId: loan.id, contactId: contact.id, conversationId };
}

// The service side: a conversation handed off, a ticket, a user.
async function writeService(
  r: Repositories,
  customerId: string,
): Promise<string> {
  const conversation = await r.conversations.open('web', customerId);
  await r.conversations.appendMessage({
    conversationId: conversation.id,
    sender: 'customer',
    body: '我这个月要还多少',
  });
  await r.conversations.appendMessage({
    conversationId: conversation.id,
    sender: 'bot',
    body: '请先核实身份',
    intent: 'repayment_schedule',
    actions: [{ type: 'ask_verification' }],
    complianceVerdict: 'pass',
  });
  await r.conversations.handOff(conversation.id, 'customer_request');
  await r.complaints.openTicket({
    ticketNo: 'TK0001',
    customerId,
    conversationId: conversation.id,
    ticketType: 'complaint',
    summary: '催收频繁',
    dueAt: '2026-03-17T00:00:00.000Z',
  });
  const user = await r.users.create(
    {
      username: 'agent01',
      displayName: '张三',
      passwordHash: '$argon2id$v=19$stub',
      roles: ['collector', 'agent'],
    },
    'system:setup',
  );
  assert(user.ok, 'user');
  return conversation.id;
}

async function writeAndReadBack(
  dialect: DialectName,
): Promise<Record<string, unknown>> {
  const t = await openTestDatabase(dialect);
  try {
    const r = repositoriesFor(t);
    const ids = await writeScript(r);
    const { customerId, loanId, conversationId } = ids;
    return {
      customer: await r.customers.findById(customerId),
      contacts: await r.customers.listEmergencyContacts(customerId),
      contactId: ids.contactId,
      loan: await r.loans.findById(loanId),
      schedule: await r.loans.schedule(loanId),
      payments: await r.payments.listByLoan(loanId),
      promises: await r.collections.listPromises(loanId),
      contactLogs: await r.collections.listContactsSince(
        customerId,
        '2026-01-01',
      ),
      conversation: await r.conversations.findById(conversationId),
      messages: await r.conversations.listMessages(conversationId),
      tickets: await r.complaints.listTickets('open', 10),
      user: await r.users.findByUsername('agent01'),
      products: await r.products.listActive(),
      loanAudit: await listAuditForSubject(t.db, 'loan', loanId),
      chain: await verifyAuditChain(t.db),
    };
  } finally {
    await t.destroy();
  }
}

// Walks a snapshot and checks the runtime type of every field by its name.
function assertFieldTypes(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      assertFieldTypes(item, `${path}[${i}]`);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, field] of Object.entries(value)) {
    const where = `${path}.${key}`;
    if (key.endsWith('Fen') && field !== undefined)
      expect(typeof field, where).toBe('bigint');
    if (
      [
        'n',
        'seq',
        'termMonths',
        'version',
        'scheduleVersion',
        'entries',
      ].includes(key)
    ) {
      expect(typeof field, where).toBe('number');
    }
    assertFieldTypes(field, where);
  }
}

describe('dialect parity', () => {
  const snapshots = new Map<DialectName, Record<string, unknown>>();

  for (const dialect of DIALECTS) {
    it(`reads ${dialect} rows back as domain objects with bigint fen and number counts`, async () => {
      const snapshot = await writeAndReadBack(dialect);
      snapshots.set(dialect, snapshot);
      assertFieldTypes(snapshot, dialect);
      expect(snapshot.schedule).toHaveLength(12);
      expect(snapshot.chain).toMatchObject({ intact: true });
      expect((snapshot.payments as unknown[]).length).toBe(2);
    });
  }

  if (DIALECTS.length > 1) {
    it(`yields identical domain objects on ${DIALECTS.join(' and ')}`, () => {
      const [reference, ...others] = DIALECTS.map((d) => snapshots.get(d));
      expect(reference).toBeDefined();
      for (const other of others) expect(other).toEqual(reference);
    });
  }
});
