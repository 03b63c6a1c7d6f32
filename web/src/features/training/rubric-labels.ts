import type { MessageKey } from '../../shared/i18n-zh.js';

/** Rubric item id (taxonomy.md) → its label key. */
export const ITEM_KEYS: Record<string, MessageKey> = {
  greeting: 'rubric.greeting',
  identity_check: 'rubric.identity_check',
  confirm_need: 'rubric.confirm_need',
  empathy: 'rubric.empathy',
  clear_explanation: 'rubric.clear_explanation',
  correct_facts: 'rubric.correct_facts',
  compliance: 'rubric.compliance',
  handoff_or_ticket: 'rubric.handoff_or_ticket',
  closing: 'rubric.closing',
};
