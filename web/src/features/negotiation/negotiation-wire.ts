// Wire shapes of the negotiation API (routes/negotiation).

export type PlanTerms = {
  kind: string;
  months: number;
  penalty_waiver: string;
  interest_waiver: string;
  discount: string;
};

export type Plan = {
  kind: string;
  months: number;
  first_payment: string;
  monthly_payment: string;
  total_paid: string;
  waived: string;
  share_of_disposable_income: string | null;
  recovery_value: string;
  within_policy: boolean;
  rank: number;
  due_at_signing: string;
  completion_likelihood: string;
  policy_breaches: string[];
  terms: PlanTerms;
};

export type Plans = {
  loan_no: string;
  status: string;
  balance: {
    principal: string;
    interest: string;
    penalty: string;
    fees: string;
    total: string;
  };
  plans: Plan[];
};

export type Agreement = {
  agreement_no: string;
  loan_no: string;
  kind: string;
  months: number;
  waived: string;
  due_at_signing: string;
  total_paid: string;
  within_policy: boolean;
  schedule_version: number;
  signed_on: string;
  document_url: string;
  replayed: boolean;
};
