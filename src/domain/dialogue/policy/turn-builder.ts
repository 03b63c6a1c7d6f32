// Collects one bot turn: reply sentences in order, actions, and the ledger
// amounts the reply states (for the compliance engine's grounding).
import { formatFen } from '../../../contracts/money.js';
import type { Fen } from '../../money/fen.js';
import { formatRate, multiplyRate, type Rate, rate } from '../../money/rate.js';
import { renderReply, type TemplateVars } from '../replies/render.js';
import type { TemplateId } from '../replies/templates.js';
import type { Action } from './types.js';

export type TurnBuilder = {
  /** Sentences that open the reply (empathy comes before solving). */
  readonly opening: string[];
  readonly body: string[];
  readonly actions: Action[];
  readonly amountsFen: Fen[];
  readonly variant: number;
};

export function newTurn(variant: number): TurnBuilder {
  return { opening: [], body: [], actions: [], amountsFen: [], variant };
}

export function say(
  turn: TurnBuilder,
  id: TemplateId,
  vars: TemplateVars = {},
): void {
  turn.body.push(renderReply(id, vars, turn.variant + turn.body.length));
}

export function open(
  turn: TurnBuilder,
  id: TemplateId,
  vars: TemplateVars = {},
): void {
  turn.opening.push(renderReply(id, vars, turn.variant));
}

export function act(turn: TurnBuilder, action: Action): void {
  turn.actions.push(action);
}

export function hasAction(turn: TurnBuilder, type: Action['type']): boolean {
  return turn.actions.some((action) => action.type === type);
}

export function replyText(turn: TurnBuilder): string {
  return [...turn.opening, ...turn.body].join('');
}

/** 0.0728 → "7.28%" (two places, half-up: a display of an exact rate). */
export function percentText(value: Rate): string {
  return `${formatRate(multiplyRate(value, rate(100n, 1n)), 2)}%`;
}

/** The wire form of a rate in actions, as `apr_nominal` in `loandesk schedule`. */
export function rateWire(value: Rate): string {
  return formatRate(value, 6);
}

/** Yuan with two places for a reply; records the amount for grounding. */
export function yuan(turn: TurnBuilder, amountFen: Fen): string {
  turn.amountsFen.push(amountFen);
  return formatFen(amountFen);
}

const LIST_MARKERS = '①②③④⑤⑥⑦⑧⑨⑩';

/** The marker of the index-th point of a list in a reply (分点说明): ①, ②, … */
export function listMarker(index: number): string {
  return LIST_MARKERS[index] ?? `（${index + 1}）`;
}
