// Least privilege (SPEC capability 9): what each role may do. Routes ask
// `can(roles, permission)`; nothing grants access by default.

export type Role =
  | 'agent'
  | 'collector'
  | 'negotiator'
  | 'supervisor'
  | 'admin';

export const ROLES: readonly Role[] = [
  'agent',
  'collector',
  'negotiator',
  'supervisor',
  'admin',
];

export const ROLE_NAME_ZH: Record<Role, string> = {
  agent: '客服专员',
  collector: '催收专员',
  negotiator: '协商专员',
  supervisor: '主管/质检',
  admin: '系统管理员',
};

export type Permission =
  | 'calculator.use'
  /** The composer's live compliance check (every role that writes to customers). */
  | 'compliance.check'
  | 'conversation.read'
  | 'conversation.take_over'
  | 'conversation.reply'
  | 'customer.read_masked'
  /** Full ID number and phone; every such read is audited. */
  | 'customer.read_unmasked'
  | 'customer.export'
  /** Change a customer's contact channels (e-mail address), with a reason. */
  | 'customer.update_contact'
  | 'loan.read'
  /** Loan applications: read, create, materials review, contract. */
  | 'application.read'
  | 'application.submit'
  | 'application.review'
  /** Credit assessment (scorecard) and approval or rejection (审批). */
  | 'application.decide'
  /** Disbursement books the loan: money leaves the bank. */
  | 'application.disburse'
  /** Early repayment and payoff on a stored loan (提前还款 / 提前结清). */
  | 'loan.prepay'
  /** Loan status changes by hand: overdue, collection, settle, write-off. */
  | 'loan.transition'
  | 'payment.post'
  | 'payment.reverse'
  | 'collection.queue'
  | 'collection.contact'
  | 'collection.promise'
  /** Assign cases to collectors and negotiators (supervisor). */
  | 'collection.assign'
  | 'negotiation.plan'
  /** Approve plan terms outside the negotiation policy (supervisor). */
  | 'negotiation.approve'
  | 'negotiation.sign'
  | 'complaint.handle'
  /** The outbound message log and reminders (masked recipients). */
  | 'outbox.read'
  /** Run the reminder dispatcher by hand. */
  | 'reminder.dispatch'
  | 'qa.read'
  | 'qa.override'
  /** Read the QA rubric and its versions (admins change it with policy.manage). */
  | 'qa.rubric'
  /** Role-play and quizzes for oneself (培训). */
  | 'training.practice'
  /** Every trainee's assessment report. */
  | 'training.report'
  | 'dashboard.read'
  | 'audit.read'
  | 'user.manage'
  | 'catalogue.manage'
  | 'policy.manage';

const BASE: readonly Permission[] = [
  'calculator.use',
  'compliance.check',
  'customer.read_masked',
  'loan.read',
  'training.practice',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  agent: [
    ...BASE,
    'customer.update_contact',
    'conversation.read',
    'conversation.take_over',
    'conversation.reply',
    'complaint.handle',
    'application.read',
    'application.submit',
    'application.review',
  ],
  collector: [
    ...BASE,
    'collection.queue',
    'collection.contact',
    'collection.promise',
  ],
  negotiator: [
    ...BASE,
    'collection.queue',
    'collection.contact',
    'collection.promise',
    'negotiation.plan',
    'negotiation.sign',
    'payment.post',
    'loan.prepay',
  ],
  supervisor: [
    ...BASE,
    'customer.update_contact',
    'conversation.read',
    'conversation.take_over',
    'conversation.reply',
    'complaint.handle',
    'collection.queue',
    'collection.assign',
    'negotiation.plan',
    'negotiation.approve',
    'qa.read',
    'qa.override',
    'qa.rubric',
    'training.report',
    'dashboard.read',
    'audit.read',
    'customer.read_unmasked',
    'payment.post',
    'payment.reverse',
    'application.read',
    'application.submit',
    'application.review',
    'application.decide',
    'application.disburse',
    'loan.prepay',
    'loan.transition',
    'outbox.read',
    'reminder.dispatch',
  ],
  admin: [
    ...BASE,
    'customer.update_contact',
    'user.manage',
    'catalogue.manage',
    'policy.manage',
    'qa.rubric',
    'audit.read',
    'customer.export',
    'customer.read_unmasked',
    'dashboard.read',
    'outbox.read',
    'reminder.dispatch',
  ],
};

/** True when any of `roles` grants `permission`. */
export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

/**
 * Whose cases a user sees: collectors and negotiators only the cases
 * assigned to them (催收案件按分配查看); other roles every case.
 */
export function caseScope(roles: readonly Role[]): 'assigned' | 'all' {
  return roles.some(
    (role) => role === 'supervisor' || role === 'admin' || role === 'agent',
  )
    ? 'all'
    : 'assigned';
}
