// Wire shapes of the collections work API (routes/collections).

export type Queue = {
  bucket: string;
  strategy: string;
  strategy_zh: string;
  cases: number;
  total_overdue: string;
  outstanding_principal: string;
};

export type CaseRow = {
  loan_no: string;
  customer_id: string;
  customer_name: string;
  status: string;
  bucket: string;
  strategy: string;
  days_past_due: number;
  total_overdue: string;
  penalty: string;
  outstanding_principal: string;
  as_of: string;
  assignees: string[];
};

export type ContactRow = {
  id: string;
  channel: string;
  recipient: string;
  outcome: string;
  result_code: string | null;
  result_zh: string | null;
  contacted_at: string;
  note: string | null;
};

export type PromiseRow = {
  id: string;
  amount: string;
  promised_on: string;
  status: string;
  created_at: string;
};
