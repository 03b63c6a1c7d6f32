// Writes the demo book through the repositories: products from the
// catalogue, one user per role (two agents) in three teams, customers with
// emergency contacts, loans with their payments and lifecycle states. Runs once, on an empty database.
import type { Repositories } from '../../adapters/db/repositories/index.js';
import type { Product } from '../../domain/catalogue/product.js';
import { reamortize } from '../../domain/loan/restructuring/plans.js';
import { DEFAULT_RESTRUCTURING_POLICY } from '../../domain/loan/restructuring/policy.js';
import { buildSchedule } from '../../domain/loan/schedule/build-schedule.js';
import type { Schedule } from '../../domain/loan/schedule/types.js';
import { fen } from '../../domain/money/fen.js';
import type { Role } from '../../domain/security/permissions.js';
import { assert } from '../../domain/shared/assert.js';
import {
  addDays,
  type CalendarDate,
} from '../../domain/shared/calendar-date.js';
import type { DemoBook, DemoLoan } from './demo-book.js';
import { seedDemoConversations } from './demo-conversations.js';

const ACTOR = 'system:demo';

export type DemoUser = {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  readonly password: string;
};

export type SeedSummary = {
  readonly products: number;
  readonly customers: number;
  readonly loans: number;
  readonly payments: number;
  readonly conversations: number;
  readonly users: readonly DemoUser[];
};

export type SeedDeps = {
  readonly repositories: Repositories;
  readonly hashPassword: (password: string) => Promise<string>;
  /** A fresh random password per demo user, printed once. */
  readonly newPassword: () => string;
};

const USERS: readonly (readonly [string, string, Role])[] = [
  ['agent', '李客服', 'agent'],
  ['agent2', '王客服', 'agent'],
  ['collector', '赵催收', 'collector'],
  ['negotiator', '钱协商', 'negotiator'],
  ['supervisor', '孙主管', 'supervisor'],
  ['admin', '周管理员', 'admin'],
];

async function seedUsers(deps: SeedDeps): Promise<DemoUser[]> {
  const users: DemoUser[] = [];
  for (const [username, displayName, role] of USERS) {
    const password = deps.newPassword();
    const created = await deps.repositories.users.create(
      {
        username,
        displayName,
        passwordHash: await deps.hashPassword(password),
        roles: [role],
      },
      ACTOR,
    );
    assert(created.ok, `demo: user ${username} not created`);
    users.push({ userId: created.value.id, username, role, password });
  }
  return users;
}

// The demo teams (班组): each agent in a team of their own and the
// collections staff together, each led by its first member; the supervisor
// oversees them all and is in none.
const TEAMS: readonly (readonly [
  name: string,
  usernames: readonly string[],
])[] = [
  ['客服一组', ['agent']],
  ['客服二组', ['agent2']],
  ['催收组', ['collector', 'negotiator']],
];

async function seedTeams(
  deps: SeedDeps,
  users: readonly DemoUser[],
): Promise<void> {
  for (const [name, usernames] of TEAMS) {
    const ids = usernames.map((username) => {
      const user = users.find((u) => u.username === username);
      assert(user !== undefined, `demo: no user ${username}`);
      return user.userId;
    });
    const [lead] = ids;
    const team = await deps.repositories.teams.create(
      { name, ...(lead === undefined ? {} : { leadUserId: lead }) },
      ACTOR,
    );
    assert(team.ok, `demo: team ${name} not created`);
    const staffed = await deps.repositories.teams.assign(
      team.value.id,
      ids,
      ACTOR,
    );
    assert(staffed.ok, `demo: team ${name} not staffed`);
  }
}

// Earlier installments are booked as one historic repayment and the latest
// on its own, which keeps the demo book quick to seed and still gives every
// loan a recent payment to look at. The historic repayment is dated on the
// first of its installments' due dates (paid ahead), so that replaying the
// ledger's payment history (the end-of-day batch's penalty replay) finds no
// installment paid late: the book's only arrears are the ones it means.
async function payInstallments(
  deps: SeedDeps,
  loanId: string,
  schedule: Schedule,
  paidPeriods: number,
): Promise<number> {
  const paid = schedule.installments.slice(0, paidPeriods);
  const batches =
    paid.length <= 1 ? [paid] : [paid.slice(0, -1), paid.slice(-1)];
  let posted = 0;
  for (const rows of batches) {
    const first = rows[0];
    const last = rows.at(-1);
    if (first === undefined || last === undefined) continue;
    const outcome = await deps.repositories.payments.post(
      {
        idempotencyKey: `demo:${loanId}:${last.n}`,
        loanId,
        amountFen: fen(rows.reduce((sum, row) => sum + row.paymentFen, 0n)),
        paidOn: rows.length === 1 ? last.dueDate : first.dueDate,
        channel: 'card',
        allocations: rows.map((row) => ({
          n: row.n,
          feeFen: row.feeFen,
          penaltyFen: fen(0n),
          interestFen: row.interestFen,
          principalFen: row.principalFen,
        })),
      },
      ACTOR,
    );
    assert(outcome.ok, `demo: payment on ${loanId} refused`);
    posted += 1;
  }
  return posted;
}

async function moveToState(
  deps: SeedDeps,
  loanId: string,
  loan: DemoLoan,
  today: CalendarDate,
): Promise<void> {
  const loans = deps.repositories.loans;
  const step = async (
    event: Parameters<typeof loans.transition>[1],
    reason: string,
  ) => {
    const moved = await loans.transition(loanId, event, {
      actor: ACTOR,
      reason,
    });
    assert(moved.ok, `demo: ${loan.loanNo} ${event.type} refused`);
  };
  if (loan.state === 'settled')
    await step({ type: 'settle' }, '演示数据：按期结清');
  if (loan.state === 'overdue' || loan.state === 'written_off') {
    await step({ type: 'miss_payment' }, '演示数据：逾期未还');
    if (loan.overdueDays > 30)
      await step({ type: 'assign_collection' }, '演示数据：逾期超过30天转催收');
    if (loan.state === 'written_off')
      await step(
        { type: 'write_off', overdueDays: loan.overdueDays },
        '演示数据：逾期超过180天核销',
      );
  }
  if (loan.state === 'restructured') {
    // Fell behind, then agreed a 24-month re-amortisation of what was left.
    await step({ type: 'miss_payment' }, '演示数据：逾期未还');
    const ledger = await loans.schedule(loanId);
    const owedFen = ledger
      .slice(loan.paidPeriods)
      .reduce((sum, row) => sum + row.principalFen, 0n);
    const debt = {
      principalFen: fen(owedFen),
      interestFen: fen(0n),
      feeFen: fen(0n),
      penaltyFen: fen(0n),
    };
    const plan = reamortize(
      {
        debt,
        months: 24,
        startDate: addDays(today, -10),
        rounding: 'half_up',
        rateAnnual: loan.terms.rateAnnual,
      },
      DEFAULT_RESTRUCTURING_POLICY,
    );
    assert(plan.ok, `demo: ${loan.loanNo} restructuring refused`);
    const moved = await loans.restructure(loanId, plan.value.schedule, {
      actor: ACTOR,
      reason: '演示数据：协商个性化分期24期',
    });
    assert(moved.ok, `demo: ${loan.loanNo} restructure refused`);
  }
}

/** Seeds `book` into an empty database; returns what it wrote. */
export async function seedDemoBook(
  deps: SeedDeps,
  book: DemoBook,
  catalogue: readonly Product[],
): Promise<SeedSummary> {
  const products = new Map<string, string>();
  for (const product of catalogue) {
    const created = await deps.repositories.products.create({
      code: product.code,
      name: product.nameZh,
      methods: product.methods,
      rateAnnualMin: product.rateAnnualMin,
      rateAnnualMax: product.rateAnnualMax,
      amountFenMin: product.amountFenMin,
      amountFenMax: product.amountFenMax,
      termMonthsMin: product.termMonthsMin,
      termMonthsMax: product.termMonthsMax,
      ...(product.prepaymentFee === undefined
        ? {}
        : { prepaymentFee: product.prepaymentFee }),
    });
    products.set(product.code, created.id);
  }
  const users = await seedUsers(deps);
  await seedTeams(deps, users);
  const customerIds: string[] = [];
  for (const customer of book.customers) {
    const created = await deps.repositories.customers.create(
      {
        name: customer.person.name,
        idNumber: customer.person.idNumber,
        phone: customer.person.phone,
        monthlyIncomeFen: customer.monthlyIncomeFen,
      },
      ACTOR,
    );
    assert(created.ok, 'demo: customer not created');
    customerIds.push(created.value.id);
    for (const contact of customer.emergencyContacts) {
      await deps.repositories.customers.addEmergencyContact({
        customerId: created.value.id,
        name: contact.name,
        phone: contact.phone,
        relation: contact.relation,
      });
    }
  }
  let payments = 0;
  for (const loan of book.loans) {
    const built = buildSchedule(loan.terms);
    assert(built.ok, `demo: ${loan.loanNo} has no schedule`);
    const customerId = customerIds[loan.customerIndex];
    assert(customerId !== undefined, 'demo: loan without customer');
    const productId = products.get(loan.productCode);
    const prepaymentFee = catalogue.find(
      (p) => p.code === loan.productCode,
    )?.prepaymentFee;
    const created = await deps.repositories.loans.createFromSchedule(
      {
        loanNo: loan.loanNo,
        customerId,
        schedule: built.value,
        ...(productId === undefined ? {} : { productId }),
        ...(prepaymentFee === undefined ? {} : { prepaymentFee }),
      },
      ACTOR,
    );
    payments += await payInstallments(
      deps,
      created.id,
      built.value,
      loan.paidPeriods,
    );
    await moveToState(deps, created.id, loan, book.today);
  }
  const agent = users.find((user) => user.username === 'agent');
  assert(agent !== undefined, 'demo: no agent user');
  const conversations = await seedDemoConversations(
    deps.repositories,
    customerIds,
    agent.userId,
    users.find((user) => user.username === 'agent2')?.userId,
  );
  return {
    products: catalogue.length,
    customers: customerIds.length,
    loans: book.loans.length,
    payments,
    conversations,
    users,
  };
}
