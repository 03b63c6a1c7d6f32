// Proves the lifecycle machines accept exactly the transitions written in the
// grids below and refuse every other (state, event) pair with a named code.
// How: the grids are typed out by hand (not derived from lifecycle.ts), and
// the tests walk the full cross product of states × events, so an added,
// removed or redirected edge in the implementation fails a row here.
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_EVENT_TYPES,
  APPLICATION_STATUSES,
  type ApplicationEvent,
  type ApplicationEventType,
  type ApplicationStatus,
  applicationEventsAllowed,
  isApplicationTerminal,
  isLoanTerminal,
  LOAN_EVENT_TYPES,
  LOAN_STATUSES,
  type LoanEvent,
  type LoanEventType,
  type LoanStatus,
  transitionApplication,
  transitionLoan,
  WRITE_OFF_OVERDUE_DAYS_MIN,
} from './lifecycle.js';

// '·' marks a refused pair: 'lifecycle.transition_not_allowed'.
const APPLICATION_GRID: Record<
  ApplicationStatus,
  Record<ApplicationEventType, ApplicationStatus | '·'>
> = {
  submitted: {
    start_materials_review: 'materials_review',
    request_materials: '·',
    accept_materials: '·',
    refer_to_manual_review: '·',
    approve: '·',
    reject: '·',
    sign_contract: '·',
    disburse: '·',
  },
  materials_review: {
    start_materials_review: '·',
    request_materials: 'submitted',
    accept_materials: 'credit_assessment',
    refer_to_manual_review: '·',
    approve: '·',
    reject: 'rejected',
    sign_contract: '·',
    disburse: '·',
  },
  credit_assessment: {
    start_materials_review: '·',
    request_materials: '·',
    accept_materials: '·',
    refer_to_manual_review: 'manual_review',
    approve: 'approved',
    reject: 'rejected',
    sign_contract: '·',
    disburse: '·',
  },
  manual_review: {
    start_materials_review: '·',
    request_materials: '·',
    accept_materials: '·',
    refer_to_manual_review: '·',
    approve: 'approved',
    reject: 'rejected',
    sign_contract: '·',
    disburse: '·',
  },
  approved: {
    start_materials_review: '·',
    request_materials: '·',
    accept_materials: '·',
    refer_to_manual_review: '·',
    approve: '·',
    reject: '·',
    sign_contract: 'contracted',
    disburse: '·',
  },
  rejected: {
    start_materials_review: '·',
    request_materials: '·',
    accept_materials: '·',
    refer_to_manual_review: '·',
    approve: '·',
    reject: '·',
    sign_contract: '·',
    disburse: '·',
  },
  contracted: {
    start_materials_review: '·',
    request_materials: '·',
    accept_materials: '·',
    refer_to_manual_review: '·',
    approve: '·',
    reject: '·',
    sign_contract: '·',
    disburse: 'disbursed',
  },
  disbursed: {
    start_materials_review: '·',
    request_materials: '·',
    accept_materials: '·',
    refer_to_manual_review: '·',
    approve: '·',
    reject: '·',
    sign_contract: '·',
    disburse: '·',
  },
};

const LOAN_GRID: Record<LoanStatus, Record<LoanEventType, LoanStatus | '·'>> = {
  repaying: {
    miss_payment: 'overdue',
    cure: '·',
    assign_collection: '·',
    restructure: 'restructured',
    settle: 'settled',
    write_off: '·',
    reopen: '·',
  },
  overdue: {
    miss_payment: '·',
    cure: 'repaying',
    assign_collection: 'collection',
    restructure: 'restructured',
    settle: 'settled',
    write_off: 'written_off',
    reopen: '·',
  },
  collection: {
    miss_payment: '·',
    cure: 'repaying',
    assign_collection: '·',
    restructure: 'restructured',
    settle: 'settled',
    write_off: 'written_off',
    reopen: '·',
  },
  restructured: {
    miss_payment: 'overdue',
    cure: '·',
    assign_collection: '·',
    restructure: '·',
    settle: 'settled',
    write_off: '·',
    reopen: '·',
  },
  settled: {
    miss_payment: '·',
    cure: '·',
    assign_collection: '·',
    restructure: '·',
    settle: '·',
    write_off: '·',
    reopen: 'repaying',
  },
  written_off: {
    miss_payment: '·',
    cure: '·',
    assign_collection: '·',
    restructure: '·',
    settle: '·',
    write_off: '·',
    reopen: '·',
  },
};

function applicationEvent(type: ApplicationEventType): ApplicationEvent {
  return type === 'reject' ? { type, reasons: ['负债收入比过高'] } : { type };
}

function loanEvent(type: LoanEventType): LoanEvent {
  return type === 'write_off'
    ? { type, overdueDays: WRITE_OFF_OVERDUE_DAYS_MIN }
    : { type };
}

const applicationRows = APPLICATION_STATUSES.flatMap((from) =>
  APPLICATION_EVENT_TYPES.map((event) => ({
    from,
    event,
    expected: APPLICATION_GRID[from][event],
  })),
);

const loanRows = LOAN_STATUSES.flatMap((from) =>
  LOAN_EVENT_TYPES.map((event) => ({
    from,
    event,
    expected: LOAN_GRID[from][event],
  })),
);

describe('application lifecycle', () => {
  it('covers all 64 (status, event) pairs', () => {
    expect(applicationRows).toHaveLength(64);
  });

  it.each(applicationRows)('$from + $event → $expected', (row) => {
    const result = transitionApplication(row.from, applicationEvent(row.event));
    if (row.expected === '·') {
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'lifecycle.transition_not_allowed',
          machine: 'application',
          from: row.from,
          event: row.event,
          allowedEvents: APPLICATION_EVENT_TYPES.filter(
            (e) => APPLICATION_GRID[row.from][e] !== '·',
          ),
        },
      });
    } else {
      expect(result).toEqual({ ok: true, value: row.expected });
    }
  });

  it.each([
    { reasons: [] as string[], reasonsCount: 0 },
    { reasons: ['  '], reasonsCount: 0 },
    { reasons: ['收入证明缺失', ''], reasonsCount: 1 },
    {
      reasons: Array.from({ length: 21 }, (_, i) => `原因${i}`),
      reasonsCount: 21,
    },
  ])(
    'refuses a rejection with $reasonsCount usable reasons of $reasons.length',
    ({ reasons, reasonsCount }) => {
      const result = transitionApplication('manual_review', {
        type: 'reject',
        reasons,
      });
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'lifecycle.rejection_reasons_required',
          reasonsCount,
          reasonsCountMin: 1,
          reasonsCountMax: 20,
        },
      });
    },
  );

  it('checks the transition before the rejection reasons', () => {
    const result = transitionApplication('approved', {
      type: 'reject',
      reasons: [],
    });
    expect(!result.ok && result.error.code).toBe(
      'lifecycle.transition_not_allowed',
    );
  });

  it('ends only in rejected and disbursed', () => {
    expect(APPLICATION_STATUSES.filter(isApplicationTerminal)).toEqual([
      'rejected',
      'disbursed',
    ]);
    expect(applicationEventsAllowed('credit_assessment')).toEqual([
      'refer_to_manual_review',
      'approve',
      'reject',
    ]);
  });
});

describe('loan lifecycle', () => {
  it('covers all 42 (status, event) pairs', () => {
    expect(loanRows).toHaveLength(42);
  });

  it.each(loanRows)('$from + $event → $expected', (row) => {
    const result = transitionLoan(row.from, loanEvent(row.event));
    if (row.expected === '·') {
      expect(!result.ok && result.error.code).toBe(
        'lifecycle.transition_not_allowed',
      );
    } else {
      expect(result).toEqual({ ok: true, value: row.expected });
    }
  });

  it.each([
    { from: 'overdue', overdueDays: 0 },
    { from: 'overdue', overdueDays: 89 },
    { from: 'collection', overdueDays: 30 },
  ] as const)(
    'refuses to write off a loan $overdueDays days past due',
    ({ from, overdueDays }) => {
      expect(transitionLoan(from, { type: 'write_off', overdueDays })).toEqual({
        ok: false,
        error: {
          code: 'lifecycle.write_off_too_early',
          overdueDays,
          overdueDaysMin: 90,
        },
      });
    },
  );

  it('writes off a loan 90 or more days past due', () => {
    expect(
      transitionLoan('collection', { type: 'write_off', overdueDays: 181 }),
    ).toEqual({ ok: true, value: 'written_off' });
  });

  it('asserts on a negative days-past-due count from our own engine', () => {
    expect(() =>
      transitionLoan('overdue', { type: 'write_off', overdueDays: -1 }),
    ).toThrow('overdueDays -1');
  });

  it('ends only in written_off', () => {
    expect(LOAN_STATUSES.filter(isLoanTerminal)).toEqual(['written_off']);
  });
});
