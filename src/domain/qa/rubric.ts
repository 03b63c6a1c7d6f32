import { RUBRIC_PHRASE_LISTS } from '../../contracts/qa.js';
// The quality-inspection rubric (质检评分表) as data: weighted items with the
// rubric ids of spec/taxonomy.md and the phrase lists the scorer looks for.
// Loaded and validated from content/qa/rubric.yaml by the adapter.

export const RUBRIC_ITEM_IDS = [
  'greeting',
  'identity_check',
  'confirm_need',
  'empathy',
  'clear_explanation',
  'correct_facts',
  'compliance',
  'handoff_or_ticket',
  'closing',
] as const;

export type RubricItemId = (typeof RUBRIC_ITEM_IDS)[number];

export type RubricItem = {
  readonly id: RubricItemId;
  readonly nameZh: string;
  /** Points this item is worth; all items add up to 100. */
  readonly max: number;
  /** A violation of this item fails the whole conversation (一票否决). */
  readonly hardFail: boolean;
  readonly descriptionZh: string;
};

export const PHRASE_LISTS = RUBRIC_PHRASE_LISTS;

export type PhraseList = (typeof PHRASE_LISTS)[number];

export type Rubric = {
  readonly version: string;
  readonly items: readonly RubricItem[];
  readonly phrases: Readonly<Record<PhraseList, readonly string[]>>;
  /** Terms a customer may not know; each needs an explanation when used. */
  readonly jargon: readonly string[];
  readonly longReplyChars: number;
  readonly clarityDeductionPercent: number;
  readonly complianceWarnDeductionPercent: number;
};

/** Total points of a rubric; a valid rubric has exactly 100. */
export function rubricTotal(rubric: Pick<Rubric, 'items'>): number {
  return rubric.items.reduce((sum, item) => sum + item.max, 0);
}
