import { assert } from '../shared/assert.js';
import { OVERDUE_DAYS_MAX } from '../shared/limits.js';
import { err, ok, type Result } from '../shared/result.js';

// The loan lifecycle as two pure state machines (SPEC capability 2):
//
//   application: submitted → materials_review → credit_assessment
//                → (manual_review →) approved | rejected → contracted → disbursed
//   loan:        repaying ⇄ overdue → collection → restructured → settled | written_off
//
// Disbursing an application creates the loan in `repaying`; the application
// stays `disbursed` for good. Each machine is a ladder of checks ending in a
// named result code (TigerBeetle's create_transfer): first "is this event
// allowed from this state at all", then the event's own preconditions. The
// caller (a repository or use case) persists the new state and audits who did
// it and why in the same transaction.

/** Application statuses; the ids are those of spec/contracts.md (chat). */
export type ApplicationStatus =
  | 'submitted' // 已提交
  | 'materials_review' // 材料审核
  | 'credit_assessment' // 信用评估
  | 'manual_review' // 人工复核
  | 'approved' // 已批准
  | 'rejected' // 已拒绝
  | 'contracted' // 已签约
  | 'disbursed'; // 已放款

export const APPLICATION_STATUSES: readonly ApplicationStatus[] = [
  'submitted',
  'materials_review',
  'credit_assessment',
  'manual_review',
  'approved',
  'rejected',
  'contracted',
  'disbursed',
];

export type ApplicationEventType =
  | 'start_materials_review'
  | 'request_materials'
  | 'accept_materials'
  | 'refer_to_manual_review'
  | 'approve'
  | 'reject'
  | 'sign_contract'
  | 'disburse';

export const APPLICATION_EVENT_TYPES: readonly ApplicationEventType[] = [
  'start_materials_review',
  'request_materials',
  'accept_materials',
  'refer_to_manual_review',
  'approve',
  'reject',
  'sign_contract',
  'disburse',
];

/** An event on an application; `reject` must say why (SPEC: "with reasons"). */
export type ApplicationEvent =
  | { readonly type: Exclude<ApplicationEventType, 'reject'> }
  | { readonly type: 'reject'; readonly reasons: readonly string[] };

/** Loan statuses after disbursement. */
export type LoanStatus =
  | 'repaying' // 还款中 (disbursed and current)
  | 'overdue' // 逾期
  | 'collection' // 催收
  | 'restructured' // 已重组 (展期 / 个性化分期 / 停息挂账)
  | 'settled' // 已结清
  | 'written_off'; // 已核销

export const LOAN_STATUSES: readonly LoanStatus[] = [
  'repaying',
  'overdue',
  'collection',
  'restructured',
  'settled',
  'written_off',
];

export type LoanEventType =
  | 'miss_payment'
  | 'cure'
  | 'assign_collection'
  | 'restructure'
  | 'settle'
  | 'write_off'
  | 'reopen';

export const LOAN_EVENT_TYPES: readonly LoanEventType[] = [
  'miss_payment',
  'cure',
  'assign_collection',
  'restructure',
  'settle',
  'write_off',
  'reopen',
];

/** An event on a loan; `write_off` carries the days past due it relies on. */
export type LoanEvent =
  | { readonly type: Exclude<LoanEventType, 'write_off'> }
  | { readonly type: 'write_off'; readonly overdueDays: number };

// Basis: a loan more than 90 days past due is at least 次级, i.e.
// non-performing (《商业银行金融资产风险分类办法》, 2023; the same floor as
// DEFAULT_CLASSIFICATION_POLICY in delinquency/classification.ts). Only a
// non-performing loan can be written off, so an earlier write-off is refused.
// This is a floor, not the write-off rule itself: 《金融企业呆账核销管理办法》
// adds conditions (collection exhausted, approvals) that the use case checks.
export const WRITE_OFF_OVERDUE_DAYS_MIN = 90;

/** Most reasons one rejection may carry; more is a caller bug. */
export const REJECTION_REASONS_MAX = 20;

export type LifecycleMachine = 'application' | 'loan';

export type LifecycleError =
  | {
      readonly code: 'lifecycle.transition_not_allowed';
      readonly machine: LifecycleMachine;
      readonly from: ApplicationStatus | LoanStatus;
      readonly event: ApplicationEventType | LoanEventType;
      /** The events this state does accept, to explain the refusal. */
      readonly allowedEvents: readonly (ApplicationEventType | LoanEventType)[];
    }
  | {
      readonly code: 'lifecycle.rejection_reasons_required';
      readonly reasonsCount: number;
      readonly reasonsCountMin: 1;
      readonly reasonsCountMax: number;
    }
  | {
      readonly code: 'lifecycle.write_off_too_early';
      readonly overdueDays: number;
      readonly overdueDaysMin: number;
    };

export type LifecycleErrorCode = LifecycleError['code'];

// The transition tables: for each state, the events it accepts and where they
// lead. Anything absent is refused. Terminal states map to an empty object.
const APPLICATION_TRANSITIONS: Readonly<
  Record<
    ApplicationStatus,
    Partial<Readonly<Record<ApplicationEventType, ApplicationStatus>>>
  >
> = {
  submitted: { start_materials_review: 'materials_review' },
  materials_review: {
    request_materials: 'submitted',
    accept_materials: 'credit_assessment',
    reject: 'rejected',
  },
  credit_assessment: {
    refer_to_manual_review: 'manual_review',
    approve: 'approved',
    reject: 'rejected',
  },
  manual_review: { approve: 'approved', reject: 'rejected' },
  approved: { sign_contract: 'contracted' },
  rejected: {},
  contracted: { disburse: 'disbursed' },
  disbursed: {},
};

const LOAN_TRANSITIONS: Readonly<
  Record<LoanStatus, Partial<Readonly<Record<LoanEventType, LoanStatus>>>>
> = {
  repaying: {
    miss_payment: 'overdue',
    restructure: 'restructured',
    settle: 'settled',
  },
  overdue: {
    cure: 'repaying',
    assign_collection: 'collection',
    restructure: 'restructured',
    settle: 'settled',
    write_off: 'written_off',
  },
  collection: {
    cure: 'repaying',
    restructure: 'restructured',
    settle: 'settled',
    write_off: 'written_off',
  },
  restructured: { miss_payment: 'overdue', settle: 'settled' },
  // A reversed payment can undo the payment that settled the loan.
  settled: { reopen: 'repaying' },
  written_off: {},
};

/** The events `status` accepts, in declaration order. */
export function applicationEventsAllowed(
  status: ApplicationStatus,
): readonly ApplicationEventType[] {
  const row = APPLICATION_TRANSITIONS[status];
  return APPLICATION_EVENT_TYPES.filter((type) => row[type] !== undefined);
}

/** The events `status` accepts, in declaration order. */
export function loanEventsAllowed(
  status: LoanStatus,
): readonly LoanEventType[] {
  const row = LOAN_TRANSITIONS[status];
  return LOAN_EVENT_TYPES.filter((type) => row[type] !== undefined);
}

export function isApplicationTerminal(status: ApplicationStatus): boolean {
  return applicationEventsAllowed(status).length === 0;
}

export function isLoanTerminal(status: LoanStatus): boolean {
  return loanEventsAllowed(status).length === 0;
}

/**
 * The status an application moves to on `event`, or why it may not.
 *
 * @example
 * transitionApplication('manual_review', { type: 'approve' });
 * // { ok: true, value: 'approved' }
 */
export function transitionApplication(
  from: ApplicationStatus,
  event: ApplicationEvent,
): Result<ApplicationStatus, LifecycleError> {
  const to = APPLICATION_TRANSITIONS[from][event.type];
  if (to === undefined) {
    return err({
      code: 'lifecycle.transition_not_allowed',
      machine: 'application',
      from,
      event: event.type,
      allowedEvents: applicationEventsAllowed(from),
    });
  }
  if (event.type === 'reject') {
    const count = event.reasons.filter((r) => r.trim() !== '').length;
    if (
      count === 0 ||
      count !== event.reasons.length ||
      count > REJECTION_REASONS_MAX
    ) {
      return err({
        code: 'lifecycle.rejection_reasons_required',
        reasonsCount: count,
        reasonsCountMin: 1,
        reasonsCountMax: REJECTION_REASONS_MAX,
      });
    }
  }
  return ok(to);
}

/**
 * The status a loan moves to on `event`, or why it may not.
 *
 * @example
 * transitionLoan('overdue', { type: 'write_off', overdueDays: 30 });
 * // { ok: false, error: { code: 'lifecycle.write_off_too_early', … } }
 */
export function transitionLoan(
  from: LoanStatus,
  event: LoanEvent,
): Result<LoanStatus, LifecycleError> {
  const to = LOAN_TRANSITIONS[from][event.type];
  if (to === undefined) {
    return err({
      code: 'lifecycle.transition_not_allowed',
      machine: 'loan',
      from,
      event: event.type,
      allowedEvents: loanEventsAllowed(from),
    });
  }
  if (event.type === 'write_off') {
    // Days past due are computed by our own engine, never typed by a user.
    assert(
      Number.isInteger(event.overdueDays) &&
        event.overdueDays >= 0 &&
        event.overdueDays <= OVERDUE_DAYS_MAX,
      `transitionLoan: overdueDays ${event.overdueDays}`,
    );
  }
  if (
    event.type === 'write_off' &&
    event.overdueDays < WRITE_OFF_OVERDUE_DAYS_MIN
  ) {
    return err({
      code: 'lifecycle.write_off_too_early',
      overdueDays: event.overdueDays,
      overdueDaysMin: WRITE_OFF_OVERDUE_DAYS_MIN,
    });
  }
  return ok(to);
}
