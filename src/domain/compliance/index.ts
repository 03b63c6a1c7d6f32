// The public surface of the compliance engine for the conversation engine,
// the agent workspace (live checks) and collections. Load the repository's
// pack with src/adapters/compliance/load-pack.ts (defaultComplianceEngine).

export {
  type CaseState,
  type Channel,
  type ContactDecision,
  type ContactLogEntry,
  type ContactPolicy,
  type ContactRecipient,
  type ContactRequest,
  decideContact,
  type Outcome,
  type Purpose,
} from './contact-policy.js';
export { type ComplianceEngine, createComplianceEngine } from './engine.js';
export { type LocalInstant, parseLocalInstant } from './local-time.js';
export { detectPii, type PiiHit, type PiiKind } from './pii-detect.js';
export {
  maskAddress,
  maskBankCard,
  maskEmail,
  maskIdNumber,
  maskIdNumberTail,
  maskMobile,
  maskName,
  maskPii,
} from './pii-mask.js';
export type {
  AccountFacts,
  Category,
  CheckInput,
  CheckResult,
  Recipient,
  Role,
  RulePack,
  Verdict,
  Violation,
} from './types.js';
