import type { QaAction, QaTurn } from '../../domain/qa/score.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import type { Message } from '../db/repositories/conversation-repository.js';
import type { Repositories } from '../db/repositories/index.js';
import type { StoredQaItem } from '../db/repositories/qa-repository.js';
import { loadCustomerData } from '../dialogue/store-customer-data.js';
import {
  ledgerTruth,
  type QaDependencies,
  scoreBySpeaker,
  statedNeeds,
} from './score-jsonl.js';

// Quality inspection of stored conversations: every finished conversation is
// scored once per speaker (the bot's turns and the agent's turns apart),
// against the customer's ledger when the customer was identified. Runs after
// the end-of-day batch and on demand; a conversation already scored is not
// scored again.

export const INSPECTION_BATCH_MAX = 500;

/** The stored messages as rubric turns: each reply answers the customer's last words. */
export function turnsOf(messages: readonly Message[]): QaTurn[] {
  const turns: QaTurn[] = [];
  let pending: string | undefined;
  for (const message of messages) {
    if (message.sender === 'customer') {
      pending =
        pending === undefined ? message.body : `${pending}\n${message.body}`;
      continue;
    }
    if (message.sender !== 'bot' && message.sender !== 'agent') continue;
    turns.push({
      user: pending,
      reply: message.body,
      speaker: message.sender,
      actions: message.actions.filter(
        (action): action is QaAction =>
          action !== null &&
          typeof action === 'object' &&
          typeof (action as QaAction).type === 'string',
      ),
    });
    pending = undefined;
  }
  return turns;
}

export type InspectionSummary = {
  readonly conversations: number;
  readonly scores: number;
};

export async function inspectClosedConversations(
  repositories: Repositories,
  dependencies: QaDependencies,
  today: CalendarDate,
  limit: number = INSPECTION_BATCH_MAX,
): Promise<InspectionSummary> {
  const pending = await repositories.qa.unscoredClosedConversations(
    Math.min(limit, INSPECTION_BATCH_MAX),
  );
  let scores = 0;
  for (const entry of pending) {
    const conversation = await repositories.conversations.findById(entry.id);
    if (conversation === undefined) continue;
    const turns = turnsOf(
      await repositories.conversations.listMessages(entry.id),
    );
    if (turns.length === 0) continue;
    const ledger =
      conversation.customerId === undefined
        ? undefined
        : ledgerTruth(
            await loadCustomerData(
              repositories,
              conversation.customerId,
              today,
            ),
            dependencies.catalogue,
            today,
            statedNeeds(turns, dependencies.nlu, today),
          );
    const bySpeaker = scoreBySpeaker(turns, dependencies, today, ledger);
    for (const speaker of ['bot', 'agent'] as const) {
      const result = bySpeaker[speaker];
      if (result === undefined) continue;
      const items: StoredQaItem[] = result.items.map((item) => ({
        item: item.item,
        score: item.score,
        max: item.max,
        evidence: item.evidence.map((e) => ({
          turn: e.turn,
          span: e.span,
          reason: e.reason,
        })),
      }));
      const saved = await repositories.qa.save({
        conversationId: entry.id,
        speaker,
        agentUserId:
          speaker === 'agent' ? conversation.assignedUserId : undefined,
        rubricVersion: dependencies.rubric.version,
        score: result.score,
        hardFail: result.hardFail,
        items,
        intent: conversation.lastIntent,
        scoredOn: today,
      });
      if (saved) scores += 1;
    }
  }
  return { conversations: pending.length, scores };
}
