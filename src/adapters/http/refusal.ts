import type {
  ApplicationEventType,
  ApplicationStatus,
  LoanEventType,
  LoanStatus,
} from '../../domain/loan/lifecycle.js';
import {
  APPLICATION_EVENT_ZH,
  APPLICATION_STATUS_ZH,
  LOAN_EVENT_ZH,
  LOAN_STATUS_ZH,
} from '../../domain/loan/lifecycle-names.js';
import type { ApplicationTransitionError } from '../db/repositories/application-repository.js';
import type { LoanTransitionError } from '../db/repositories/loan-repository.js';

// An expected refusal with its HTTP status, stable code and a zh-CN message
// for staff. Thrown from a route (or from inside a transaction, which it
// then rolls back) and answered by the one error handler.

export type RefusalStatus = 400 | 404 | 409;

export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';
  constructor(
    readonly status: RefusalStatus,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function notFound(code: string, message: string): HttpRefusal {
  return new HttpRefusal(404, code, message);
}

/** A 400 naming the field, worded like the schema validator's answers. */
export function badInput(
  field: string,
  message: string,
  code = 'input.invalid',
): HttpRefusal {
  return new HttpRefusal(400, code, `${field}: ${message}`, field);
}

function eventZh(event: ApplicationEventType | LoanEventType, machine: string) {
  return machine === 'application'
    ? APPLICATION_EVENT_ZH[event as ApplicationEventType]
    : LOAN_EVENT_ZH[event as LoanEventType];
}

function statusZh(status: ApplicationStatus | LoanStatus, machine: string) {
  return machine === 'application'
    ? APPLICATION_STATUS_ZH[status as ApplicationStatus]
    : LOAN_STATUS_ZH[status as LoanStatus];
}

/** A refused application or loan transition as HTTP (409 unless missing). */
export function lifecycleRefusal(
  error: ApplicationTransitionError | LoanTransitionError,
): HttpRefusal {
  switch (error.code) {
    case 'lifecycle.transition_not_allowed': {
      const allowed = error.allowedEvents
        .map((e) => `“${eventZh(e, error.machine)}”`)
        .join('、');
      return new HttpRefusal(
        409,
        error.code,
        `当前状态（${statusZh(error.from, error.machine)}）不能执行“${eventZh(error.event, error.machine)}”；${allowed === '' ? '该状态已终结，不能再变更' : `可执行：${allowed}`}。`,
      );
    }
    case 'lifecycle.rejection_reasons_required':
      return new HttpRefusal(
        400,
        error.code,
        `reasons: 拒绝须写明理由（1 至 ${error.reasonsCountMax} 条，不能为空）。`,
        'reasons',
      );
    case 'lifecycle.write_off_too_early':
      return new HttpRefusal(
        409,
        error.code,
        `逾期 ${error.overdueDays} 天，未满 ${error.overdueDaysMin} 天，不能核销。`,
      );
    case 'application.not_found':
      return notFound(error.code, '未找到该贷款申请。');
    case 'loan.not_found':
      return notFound(error.code, '未找到该贷款。');
    case 'application.concurrent_update':
    case 'loan.concurrent_update':
      return new HttpRefusal(
        409,
        error.code,
        '数据已被他人修改，请刷新后重试。',
      );
  }
}
