import type {
  ApplicationEventType,
  ApplicationStatus,
  LoanEventType,
  LoanStatus,
} from './lifecycle.js';

// The lifecycle's states and events as staff read them (zh-CN), for refusals
// such as "当前状态（已批准）不能执行“放款”".

export const APPLICATION_STATUS_ZH: Readonly<
  Record<ApplicationStatus, string>
> = {
  submitted: '已提交',
  materials_review: '材料审核',
  credit_assessment: '信用评估',
  manual_review: '人工复核',
  approved: '已批准',
  rejected: '已拒绝',
  contracted: '已签约',
  disbursed: '已放款',
};

export const APPLICATION_EVENT_ZH: Readonly<
  Record<ApplicationEventType, string>
> = {
  start_materials_review: '开始材料审核',
  request_materials: '退回补充材料',
  accept_materials: '材料审核通过',
  refer_to_manual_review: '转人工复核',
  approve: '审批通过',
  reject: '审批拒绝',
  sign_contract: '签订合同',
  disburse: '放款',
};

export const LOAN_STATUS_ZH: Readonly<Record<LoanStatus, string>> = {
  repaying: '还款中',
  overdue: '逾期',
  collection: '催收中',
  restructured: '已重组',
  settled: '已结清',
  written_off: '已核销',
};

export const LOAN_EVENT_ZH: Readonly<Record<LoanEventType, string>> = {
  miss_payment: '转入逾期',
  cure: '恢复正常还款',
  assign_collection: '转入催收',
  restructure: '重组',
  settle: '结清',
  write_off: '核销',
  reopen: '撤销结清',
};
