// Every loop, batch and input is bounded; each bound is named here (STYLE §10).
// A value outside a limit is a typed error when a user gave it and an assertion
// when our own code produced it.

/** Longest loan term the engine schedules: 30 years of monthly periods. */
export const TERM_MONTHS_MAX = 360;
/** Policy cap for credit-card style re-amortisation (个性化分期), in months. */
export const REAMORTIZATION_MONTHS_MAX = 60;
/** Newton iterations allowed when solving for an IRR before giving up. */
export const IRR_ITERATIONS_MAX = 100;
/** Longest accepted JSONL input line, in bytes. */
export const JSONL_LINE_BYTES_MAX = 1_000_000;
/** Longest accepted chat turn, in characters. */
export const CHAT_TURN_CHARS_MAX = 2_000;
/** Largest page a list endpoint returns. */
export const PAGE_SIZE_MAX = 500;
/** Most passages knowledge retrieval returns. */
export const RETRIEVE_TOP_K_MAX = 20;
/** Most prepayments one schedule request may carry. */
export const PREPAYMENTS_MAX = 120;
/** Most fee lines one schedule request may carry. */
export const FEES_MAX = 20;
/** Days past due beyond which the engine stops counting (about 30 years). */
export const OVERDUE_DAYS_MAX = 11_000;
/** Most installments one loan balance holds: one per month of the longest term. */
export const INSTALLMENTS_MAX = TERM_MONTHS_MAX;
/** Most payments one penalty calculation replays (ten a month for 30 years). */
export const PAYMENTS_MAX = 3_600;
/** Most violations the compliance engine reports for one message. */
export const COMPLIANCE_VIOLATIONS_MAX = 32;
/** Most contact-log entries one contact-check request may carry. */
export const CONTACT_LOG_ENTRIES_MAX = 10_000;
/** Longest question the knowledge base reads, in characters; the rest is cut. */
export const KNOWLEDGE_QUESTION_CHARS_MAX = 200;
/** Most entries one knowledge base holds. */
export const KNOWLEDGE_ENTRIES_MAX = 5_000;
/** Most phrasings one knowledge entry lists. */
export const KNOWLEDGE_PHRASINGS_MAX = 20;
