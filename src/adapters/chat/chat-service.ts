// The borrower chat against the real store, and the agents' side of it.
// A borrower turn: authenticate the conversation's token, read the stored
// dialogue state, find who the customer may be (blind indexes on the phone,
// ID number or its last six characters they typed; borrower-identity.ts),
// read that customer's records once verified, let the dialogue
// engine answer, and write the messages (PII masked), the new state, the
// verification and any hand-off in one transaction. Turns of one
// conversation run one at a time (the state is read, then written).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type {
  ChatMessage,
  ChatState,
  ComplianceFinding,
} from '../../contracts/chat.js';
import type { ComplianceEngine } from '../../domain/compliance/engine.js';
import type {
  CheckResult,
  Role as ComplianceRole,
  Recipient,
} from '../../domain/compliance/types.js';
import type { DialogueEngine } from '../../domain/dialogue/policy/engine.js';
import { initialDialogueState } from '../../domain/dialogue/policy/state.js';
import type {
  CustomerData,
  DialogueState,
  KnowledgeBase,
} from '../../domain/dialogue/policy/types.js';
import { renderReply } from '../../domain/dialogue/replies/render.js';
import type { CalendarDate } from '../../domain/shared/calendar-date.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { appendAudit } from '../db/repositories/audit-repository.js';
import type {
  ChatSession,
  Conversation,
  Message,
  NewMessage,
} from '../db/repositories/conversation-repository.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import { DurabilityError } from '../db/wal-sync.js';
import {
  decodeDialogueState,
  encodeDialogueState,
} from '../dialogue/state-codec.js';
import {
  loadCustomerData,
  NO_CUSTOMER_DATA,
} from '../dialogue/store-customer-data.js';
import { identifyBorrower } from './borrower-identity.js';
import type { ChatHub, ChatListener } from './chat-hub.js';
import {
  GREETING_QUICK_REPLIES,
  libraryReplies,
  quickRepliesOf,
} from './reply-library.js';

/** The engines a conversation needs; loaded once per process. */
export type ConversationParts = {
  readonly engine: DialogueEngine;
  readonly compliance: ComplianceEngine;
  readonly knowledge?: KnowledgeBase;
};

export type ChatServiceDeps = {
  readonly db: Kysely<Database>;
  readonly repositories: Repositories;
  readonly repositoriesOver: (db: Kysely<Database>) => Repositories;
  readonly parts: () => ConversationParts;
  readonly today: () => CalendarDate;
  /** Minutes since midnight in the borrower's time zone (compliance windows). */
  readonly minuteOfDay: () => number;
  readonly hub: ChatHub;
};

export type ChatError =
  | { readonly code: 'chat.not_found' }
  | { readonly code: 'chat.token_invalid' }
  | { readonly code: 'chat.conversation_closed' }
  | { readonly code: 'conversation.not_found' }
  | { readonly code: 'conversation.closed' }
  | { readonly code: 'conversation.taken' }
  | { readonly code: 'conversation.not_taken' }
  | {
      readonly code: 'compliance.blocked';
      readonly verdict: 'block';
      readonly findings: ComplianceFinding[];
    }
  | {
      readonly code: 'compliance.warnings_not_acknowledged';
      readonly verdict: 'warn';
      readonly findings: ComplianceFinding[];
    };

export type TurnResult = {
  readonly messages: ChatMessage[];
  readonly state: ChatState;
};

export type Agent = { readonly userId: string; readonly username: string };

const TOKEN_BYTES = 32;
// Bound: messages of one conversation shown at once.
export const HISTORY_MESSAGES_MAX = 500;
const SUGGESTIONS_MAX = 5;
const IDENTITY_PENDING: CustomerData = {
  ...NO_CUSTOMER_DATA,
  identityPending: true,
};

export function hashChatToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function toWireMessage(message: Message): ChatMessage {
  const quickReplies =
    message.sender !== 'bot'
      ? undefined
      : message.seq === 1
        ? [...GREETING_QUICK_REPLIES]
        : quickRepliesOf(message.actions);
  return {
    id: message.id,
    seq: message.seq,
    sender: message.sender,
    text: message.body,
    ...(quickReplies === undefined ? {} : { quickReplies }),
    createdAt: message.createdAt,
  };
}

export function stateOf(conversation: Conversation): ChatState {
  return {
    verified: conversation.verifiedAt !== undefined,
    handedOff:
      conversation.status === 'waiting_agent' ||
      conversation.status === 'agent' ||
      conversation.handoffReason !== undefined,
    status: conversation.status,
  };
}

export function findingsOf(result: CheckResult): ComplianceFinding[] {
  return result.violations.map((v) => ({
    ruleId: v.rule,
    category: v.category,
    severity: v.severity,
    span: [v.span[0], v.span[1]],
    message: v.message,
    legalBasis: v.basis,
    suggestion: v.suggestion,
  }));
}

function sameState(a: ChatState, b: ChatState): boolean {
  return (
    a.verified === b.verified &&
    a.handedOff === b.handedOff &&
    a.status === b.status
  );
}

function amountsOf(data: CustomerData): bigint[] {
  const amounts: bigint[] = [];
  for (const loan of data.loans) {
    const s = loan.schedule;
    amounts.push(s.totalPrincipalFen, s.totalInterestFen, s.totalPaidFen);
    if (loan.overdueAmountFen > 0n) amounts.push(loan.overdueAmountFen);
    for (const row of s.installments)
      amounts.push(
        row.paymentFen,
        row.principalFen,
        row.interestFen,
        row.balanceFen,
      );
  }
  return amounts;
}

function checkToken(
  chat: { conversation: Conversation; session: ChatSession } | undefined,
  token: string | undefined,
): Result<{ conversation: Conversation; session: ChatSession }, ChatError> {
  if (chat === undefined) return err({ code: 'chat.not_found' });
  if (
    token === undefined ||
    token === '' ||
    !sameHash(hashChatToken(token), chat.session.tokenHash)
  )
    return err({ code: 'chat.token_invalid' });
  return ok(chat);
}

type TurnRecord = Parameters<Repositories['conversations']['recordTurn']>[0];
type RecordedTurn = Awaited<
  ReturnType<Repositories['conversations']['recordTurn']>
>;

type PendingTurn = {
  readonly record: TurnRecord;
  readonly resolve: (turn: RecordedTurn) => void;
  readonly reject: (error: unknown) => void;
};

// Bound: turns written by one commit (group commit, see #recordTurn).
const TURNS_PER_COMMIT_MAX = 64;

export class ChatService {
  readonly #deps: ChatServiceDeps;
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #pending: PendingTurn[] = [];
  #flushing = false;

  constructor(deps: ChatServiceDeps) {
    this.#deps = deps;
  }

  get hub(): ChatHub {
    return this.#deps.hub;
  }

  /** Runs `work` after every earlier turn of the same conversation. */
  async #serialised<T>(conversationId: string, work: () => Promise<T>) {
    const before = this.#queues.get(conversationId) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(conversationId, settled);
    try {
      return await run;
    } finally {
      if (this.#queues.get(conversationId) === settled)
        this.#queues.delete(conversationId);
    }
  }

  /**
   * Group commit: the turns that finish while a commit is being written go
   * into the next transaction together, so N concurrent conversations pay
   * one commit (one fsync under SQLite's synchronous=FULL) instead of N.
   * Each caller still answers only after its turn is committed (and, with
   * commit sync `background`, on disk). Turns of one conversation never
   * share a batch (they are serialised).
   */
  #recordTurn(record: TurnRecord): Promise<RecordedTurn> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ record, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  // Takes what is pending as one batch. The next batch does not wait for
  // this one: transactions queue for the connection in order, and with
  // commit sync `background` the connection is free again as soon as a
  // batch has committed, while its fsync runs — so the next batch commits
  // during that fsync instead of after it.
  #flush(): void {
    const batch = this.#pending.splice(0, TURNS_PER_COMMIT_MAX);
    if (this.#pending.length > 0) setImmediate(() => this.#flush());
    else this.#flushing = false;
    void this.#writeBatch(batch);
  }

  async #writeBatch(batch: readonly PendingTurn[]): Promise<void> {
    let written: RecordedTurn[] | undefined;
    try {
      written = await this.#deps.db.transaction().execute(async (tx) => {
        const r = this.#deps.repositoriesOver(tx);
        const out: RecordedTurn[] = [];
        for (const item of batch)
          out.push(await r.conversations.recordTurn(item.record));
        return out;
      });
    } catch (error) {
      // Committed but not known to be on disk: writing again would
      // duplicate the turns; nothing more is acknowledged.
      if (error instanceof DurabilityError) {
        for (const item of batch) item.reject(error);
        return;
      }
      written = undefined;
    }
    if (written !== undefined) {
      for (const [index, item] of batch.entries()) {
        const turn = written[index];
        if (turn === undefined) item.reject(new Error('turn not written'));
        else item.resolve(turn);
      }
      return;
    }
    // The batch failed: write its turns one by one, so one bad turn does
    // not fail the others.
    for (const item of batch) {
      try {
        item.resolve(
          await this.#deps.repositories.conversations.recordTurn(item.record),
        );
      } catch (error) {
        item.reject(error);
      }
    }
  }

  /** Opens a conversation with a fresh token; the greeting is its first message. */
  async start(channel: 'web'): Promise<{
    conversationId: string;
    token: string;
    messages: ChatMessage[];
    state: ChatState;
  }> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    return this.#deps.db.transaction().execute(async (tx) => {
      const r = this.#deps.repositoriesOver(tx);
      const conversation = await r.conversations.open(channel);
      await r.conversations.createSession(
        conversation.id,
        hashChatToken(token),
        encodeDialogueState(initialDialogueState()),
      );
      const greeting = await r.conversations.appendMessage({
        conversationId: conversation.id,
        sender: 'bot',
        body: renderReply('greeting', {}, 0),
        intent: 'greeting',
        actions: [],
        complianceVerdict: 'pass',
      });
      return {
        conversationId: conversation.id,
        token,
        messages: [toWireMessage(greeting)],
        state: stateOf(conversation),
      };
    });
  }

  /** The conversation behind a borrower's token, or why not. */
  async authorize(
    conversationId: string,
    token: string | undefined,
  ): Promise<
    Result<{ conversation: Conversation; session: ChatSession }, ChatError>
  > {
    const chat =
      await this.#deps.repositories.conversations.findChat(conversationId);
    return checkToken(chat, token);
  }

  async history(conversationId: string): Promise<TurnResult> {
    const conversations = this.#deps.repositories.conversations;
    const conversation = await conversations.findById(conversationId);
    const messages = await conversations.listRecentMessages(
      conversationId,
      HISTORY_MESSAGES_MAX,
    );
    return {
      messages: messages.map(toWireMessage),
      state:
        conversation === undefined
          ? { verified: false, handedOff: false, status: 'closed' }
          : stateOf(conversation),
    };
  }

  /**
   * One borrower message. The bot answers unless an agent owns the
   * conversation; then the message waits for the agent. `token`: checked
   * here (HTTP); `null` when the caller already checked it (WebSocket).
   */
  async customerTurn(
    conversationId: string,
    text: string,
    token: string | undefined | null,
    origin?: ChatListener,
  ): Promise<Result<TurnResult, ChatError>> {
    return this.#serialised(conversationId, async () => {
      const conversations = this.#deps.repositories.conversations;
      const chat = await conversations.findChat(conversationId);
      const access =
        token === null
          ? chat === undefined
            ? err({ code: 'chat.not_found' } as const)
            : ok(chat)
          : checkToken(chat, token);
      if (!access.ok) return access;
      const { conversation, session } = access.value;
      if (conversation.status === 'closed')
        return err({ code: 'chat.conversation_closed' } as const);
      const before = stateOf(conversation);
      const customerMessage: NewMessage = {
        conversationId,
        sender: 'customer',
        body: text,
      };
      if (conversation.status === 'agent') {
        const [stored] = await conversations.appendMessages(conversationId, [
          customerMessage,
        ]);
        const messages = stored === undefined ? [] : [toWireMessage(stored)];
        for (const message of messages)
          this.hub.publish(
            conversationId,
            { type: 'message', message },
            origin,
          );
        return ok({ messages, state: before });
      }
      let dialogue: DialogueState = decodeDialogueState(session.dialogueState);
      let candidate = session.candidateCustomerId;
      let customerId = conversation.customerId;
      // Factors held for an unverified session (borrower-identity.ts).
      let held: DialogueState['factorsMatched'] | undefined;
      if (customerId === undefined && !dialogue.verified) {
        const found = dialogue.thirdParty
          ? { candidate, factors: [], verified: false }
          : await identifyBorrower(this.#deps.repositories.customers, {
              text,
              candidate,
              factors: dialogue.factorsMatched,
              previous: () => conversations.lastCustomerText(conversationId),
            });
        candidate = found.candidate;
        held = found.factors;
        // Verified: the engine sees the record with its factors matched.
        // Not yet: it sees no record at all, so its answer cannot tell a
        // partial match from none.
        dialogue = { ...dialogue, factorsMatched: found.factors };
        if (found.verified) customerId = found.candidate;
        else dialogue = { ...dialogue, factorsMatched: [] };
      }
      const today = this.#deps.today();
      const data =
        customerId !== undefined
          ? await loadCustomerData(this.#deps.repositories, customerId, today)
          : held === undefined
            ? NO_CUSTOMER_DATA
            : IDENTITY_PENDING;
      const responded = this.#deps.parts().engine.respond({
        state: dialogue,
        data,
        today,
        text,
      });
      const outcome =
        held === undefined || responded.state.verified
          ? responded
          : {
              ...responded,
              state: { ...responded.state, factorsMatched: held },
            };
      const handoff = outcome.actions.find((a) => a.type === 'handoff');
      const recorded = await this.#recordTurn({
        conversation,
        messages: [
          customerMessage,
          {
            conversationId,
            sender: 'bot',
            body: outcome.reply,
            intent: outcome.intent,
            actions: outcome.actions,
            complianceVerdict: outcome.compliance.verdict,
          },
        ],
        dialogueState: encodeDialogueState(outcome.state),
        candidateCustomerId: candidate,
        lastIntent: outcome.intent,
        ...(outcome.state.verified && customerId !== undefined
          ? { verifiedCustomerId: customerId }
          : {}),
        ...(handoff?.type === 'handoff'
          ? { handoffReason: handoff.reason }
          : {}),
      });
      const messages = recorded.messages.map(toWireMessage);
      const state = stateOf(recorded.conversation);
      for (const message of messages)
        this.hub.publish(conversationId, { type: 'message', message }, origin);
      if (!sameState(before, state))
        this.hub.publish(conversationId, { type: 'state', state }, origin);
      return ok({ messages, state });
    });
  }

  async rate(
    conversationId: string,
    score: number,
    comment: string | undefined,
  ): Promise<void> {
    await this.#deps.repositories.conversations.rate(
      conversationId,
      score,
      comment,
    );
  }

  // ── agents ──────────────────────────────────────────────────────────

  async takeOver(
    conversationId: string,
    agent: Agent,
  ): Promise<Result<Conversation, ChatError>> {
    return this.#serialised(conversationId, async () => {
      const taken = await this.#deps.db.transaction().execute(async (tx) => {
        const r = this.#deps.repositoriesOver(tx);
        const moved = await r.conversations.takeOver(
          conversationId,
          agent.userId,
        );
        if (!moved.ok) return moved;
        const notice = await r.conversations.appendMessage({
          conversationId,
          sender: 'system',
          body: '人工客服已接入，正在为您服务。',
        });
        return ok({ conversation: moved.value, notice });
      });
      if (!taken.ok) return err({ code: taken.error.code } as ChatError);
      const { conversation, notice } = taken.value;
      this.hub.publish(conversationId, {
        type: 'message',
        message: toWireMessage(notice),
      });
      this.hub.publish(conversationId, {
        type: 'state',
        state: stateOf(conversation),
      });
      return ok(conversation);
    });
  }

  #recipientOf(conversation: Conversation): Recipient {
    return conversation.verifiedAt === undefined ? 'unverified' : 'customer';
  }

  /** The live check of the agents' composer. */
  check(
    text: string,
    role: ComplianceRole,
    recipient: Recipient,
    amountsFen: readonly bigint[] = [],
  ): { verdict: CheckResult['verdict']; findings: ComplianceFinding[] } {
    const result = this.#deps.parts().compliance.check({
      text,
      role,
      recipient,
      atMinute: this.#deps.minuteOfDay(),
      ...(amountsFen.length === 0 ? {} : { facts: { amountsFen } }),
    });
    return { verdict: result.verdict, findings: findingsOf(result) };
  }

  /**
   * An agent's reply: through the compliance engine first. Blocked drafts
   * are refused; warnings need the agent's acknowledgement.
   */
  async agentReply(
    conversationId: string,
    agent: Agent,
    text: string,
    acknowledgeWarnings: boolean,
  ): Promise<
    Result<
      {
        message: ChatMessage;
        verdict: CheckResult['verdict'];
        findings: ComplianceFinding[];
      },
      ChatError
    >
  > {
    return this.#serialised(conversationId, async () => {
      const conversations = this.#deps.repositories.conversations;
      const conversation = await conversations.findById(conversationId);
      if (conversation === undefined)
        return err({ code: 'conversation.not_found' } as const);
      if (conversation.status === 'closed')
        return err({ code: 'conversation.closed' } as const);
      if (conversation.status !== 'agent')
        return err({ code: 'conversation.not_taken' } as const);
      if (conversation.assignedUserId !== agent.userId)
        return err({ code: 'conversation.taken' } as const);
      const data =
        conversation.customerId === undefined
          ? NO_CUSTOMER_DATA
          : await loadCustomerData(
              this.#deps.repositories,
              conversation.customerId,
              this.#deps.today(),
            );
      const checked = this.check(
        text,
        'agent',
        this.#recipientOf(conversation),
        amountsOf(data),
      );
      if (checked.verdict === 'block') {
        // Counted on the supervisor dashboard (blocks by category); the
        // draft itself is not kept, only which rules stopped it.
        const blocking = checked.findings.filter((f) => f.severity === 'block');
        await appendAudit(
          this.#deps.db,
          {
            actor: `user:${agent.username}`,
            action: 'compliance.blocked',
            subjectType: 'conversation',
            subjectId: conversationId,
            details: {
              role: 'agent',
              categories: [...new Set(blocking.map((f) => f.category))],
              rules: [...new Set(blocking.map((f) => f.ruleId))],
            },
          },
          new Date().toISOString(),
        );
        return err({
          code: 'compliance.blocked',
          verdict: 'block',
          findings: checked.findings,
        } as const);
      }
      if (checked.verdict === 'warn' && !acknowledgeWarnings)
        return err({
          code: 'compliance.warnings_not_acknowledged',
          verdict: 'warn',
          findings: checked.findings,
        } as const);
      const stored = await conversations.appendMessage({
        conversationId,
        sender: 'agent',
        body: text,
        complianceVerdict: checked.verdict,
      });
      const message = toWireMessage(stored);
      this.hub.publish(conversationId, { type: 'message', message });
      return ok({
        message,
        verdict: checked.verdict,
        findings: checked.findings,
      });
    });
  }

  async close(
    conversationId: string,
  ): Promise<Result<Conversation, ChatError>> {
    return this.#serialised(conversationId, async () => {
      const done = await this.#deps.db.transaction().execute(async (tx) => {
        const r = this.#deps.repositoriesOver(tx);
        const conversation = await r.conversations.findById(conversationId);
        if (conversation === undefined)
          return err({ code: 'conversation.not_found' } as const);
        if (conversation.status === 'closed')
          return err({ code: 'conversation.closed' } as const);
        await r.conversations.close(conversationId);
        const notice = await r.conversations.appendMessage({
          conversationId,
          sender: 'system',
          body: '本次会话已结束，感谢您的咨询。欢迎您对本次服务进行评价。',
        });
        return ok({
          conversation: { ...conversation, status: 'closed' as const },
          notice,
        });
      });
      if (!done.ok) return done;
      this.hub.publish(conversationId, {
        type: 'message',
        message: toWireMessage(done.value.notice),
      });
      this.hub.publish(conversationId, {
        type: 'state',
        state: stateOf(done.value.conversation),
      });
      return ok(done.value.conversation);
    });
  }

  /**
   * Suggested replies for the last detected intent: the knowledge base's
   * answer to the customer's last message, then the reply library; only
   * those the compliance engine passes for this recipient.
   */
  async suggestions(conversation: Conversation): Promise<{
    intent: string | null;
    suggestions: {
      text: string;
      source: 'knowledge' | 'library';
      verdict: 'pass';
    }[];
  }> {
    const recent =
      await this.#deps.repositories.conversations.listRecentMessages(
        conversation.id,
        20,
      );
    const lastCustomer = recent.findLast((m) => m.sender === 'customer');
    const candidates: { text: string; source: 'knowledge' | 'library' }[] = [];
    const knowledge = this.#deps.parts().knowledge;
    if (lastCustomer !== undefined && knowledge !== undefined) {
      const answer = knowledge.answer(lastCustomer.body);
      if (answer !== undefined)
        candidates.push({ text: answer.answer, source: 'knowledge' });
    }
    for (const text of libraryReplies(conversation.lastIntent))
      candidates.push({ text, source: 'library' });
    const recipient = this.#recipientOf(conversation);
    const seen = new Set<string>();
    const out: {
      text: string;
      source: 'knowledge' | 'library';
      verdict: 'pass';
    }[] = [];
    for (const candidate of candidates) {
      if (out.length >= SUGGESTIONS_MAX || seen.has(candidate.text)) continue;
      seen.add(candidate.text);
      if (this.check(candidate.text, 'agent', recipient).verdict === 'pass')
        out.push({ ...candidate, verdict: 'pass' });
    }
    return { intent: conversation.lastIntent ?? null, suggestions: out };
  }
}
