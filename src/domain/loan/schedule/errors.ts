/** Why a schedule cannot be built; each code names the field at fault. */
export type ScheduleErrorCode =
  | 'schedule.principal_not_positive'
  | 'schedule.principal_too_large'
  | 'schedule.rate_out_of_range'
  | 'schedule.term_months_out_of_range'
  | 'schedule.interest_only_periods_out_of_range'
  | 'schedule.first_due_date_out_of_range'
  | 'schedule.payment_multiple_out_of_range'
  | 'schedule.payment_does_not_amortize'
  | 'schedule.fee_out_of_range'
  | 'schedule.prepayment_period_out_of_range'
  | 'schedule.prepayment_amount_out_of_range'
  | 'schedule.prepayment_mode_not_supported';

export type ScheduleError = {
  readonly code: ScheduleErrorCode;
  /** The input field at fault, as named on the wire (e.g. `term_months`). */
  readonly field: string;
  /** A one-line English explanation with the facts. */
  readonly detail: string;
};
