// Wire shape of a complaint ticket (GET /complaints), mirroring
// ComplaintOutput of src/contracts/channels.ts of the complaints API.

export type Complaint = {
  id: string;
  ticket_no: string;
  customer_id: string | null;
  conversation_id: string | null;
  source: string | null;
  category: string | null;
  category_zh: string | null;
  complexity: string | null;
  status: string;
  summary: string;
  assigned_user_id: string | null;
  created_at: string;
  due_at: string;
  decision_date: string;
  minutes_left: number;
  days_left: number;
  overdue: boolean;
  escalation_level: number;
  escalated_at: string | null;
  extension_days: number;
  extension_reason: string | null;
  resolution: string | null;
  resolved_at: string | null;
};
