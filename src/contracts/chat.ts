// Wire schemas of the borrower chat and the agents' conversation API, shared
// by the HTTP routes (validation + OpenAPI), the WebSocket and the web app.
import { type Static, Type } from '@sinclair/typebox';

export const CHAT_TEXT_CHARS_MAX = 500;

export const ChatSender = Type.Union([
  Type.Literal('customer'),
  Type.Literal('bot'),
  Type.Literal('agent'),
  Type.Literal('system'),
]);

export const ConversationStatusSchema = Type.Union([
  Type.Literal('bot'),
  Type.Literal('waiting_agent'),
  Type.Literal('agent'),
  Type.Literal('closed'),
]);

export const ChatMessage = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ minimum: 1 }),
  sender: ChatSender,
  /** As stored: ID, card and phone numbers masked. */
  text: Type.String(),
  quickReplies: Type.Optional(Type.Array(Type.String())),
  createdAt: Type.String({ description: 'ISO-8601 instant' }),
});
export type ChatMessage = Static<typeof ChatMessage>;

export const ChatState = Type.Object({
  verified: Type.Boolean(),
  handedOff: Type.Boolean(),
  status: ConversationStatusSchema,
});
export type ChatState = Static<typeof ChatState>;

export const ChatText = Type.String({
  minLength: 1,
  maxLength: CHAT_TEXT_CHARS_MAX,
});

export const StartChatInput = Type.Object(
  { channel: Type.Optional(Type.Literal('web')) },
  { additionalProperties: false },
);

export const StartChatOutput = Type.Object({
  conversationId: Type.String(),
  /** The conversation's secret; send it as X-Chat-Token. Shown once. */
  token: Type.String(),
  messages: Type.Array(ChatMessage),
  state: ChatState,
});

export const ChatTurnInput = Type.Object(
  { text: ChatText },
  { additionalProperties: false },
);

export const ChatTurnOutput = Type.Object({
  messages: Type.Array(ChatMessage),
  state: ChatState,
});

export const RatingInput = Type.Object(
  {
    score: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.String({ maxLength: CHAT_TEXT_CHARS_MAX })),
  },
  { additionalProperties: false },
);

export const ComplianceFinding = Type.Object({
  ruleId: Type.String(),
  category: Type.String(),
  severity: Type.Union([Type.Literal('block'), Type.Literal('warn')]),
  /** [start, end) in UTF-16 code units of the text. */
  span: Type.Tuple([Type.Integer(), Type.Integer()]),
  message: Type.String(),
  legalBasis: Type.String(),
  suggestion: Type.String(),
});
export type ComplianceFinding = Static<typeof ComplianceFinding>;

export const ComplianceVerdictSchema = Type.Union([
  Type.Literal('pass'),
  Type.Literal('warn'),
  Type.Literal('block'),
]);

export const ComplianceCheckInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    role: Type.Optional(
      Type.Union([
        Type.Literal('agent'),
        Type.Literal('collector'),
        Type.Literal('bot'),
      ]),
    ),
    recipient: Type.Optional(
      Type.Union([
        Type.Literal('customer'),
        Type.Literal('unverified'),
        Type.Literal('third_party'),
      ]),
    ),
  },
  { additionalProperties: false },
);

export const ComplianceCheckOutput = Type.Object({
  verdict: ComplianceVerdictSchema,
  findings: Type.Array(ComplianceFinding),
});

/** 422 (blocked) and 409 (warnings not acknowledged) of an agent's reply. */
export const ComplianceRefusal = Type.Object({
  code: Type.String(),
  verdict: ComplianceVerdictSchema,
  findings: Type.Array(ComplianceFinding),
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const ConversationSummary = Type.Object({
  id: Type.String(),
  status: ConversationStatusSchema,
  channel: Type.String(),
  verified: Type.Boolean(),
  customer: Type.Union([
    Type.Object({
      id: Type.String(),
      /** Masked: 王*明. */
      name: Type.String(),
      /** Masked: 138****1111. */
      phone: Type.String(),
    }),
    Type.Null(),
  ]),
  lastMessage: Type.Union([ChatMessage, Type.Null()]),
  handoffReason: Type.Union([Type.String(), Type.Null()]),
  /** zh-CN label of the hand-off reason. */
  handoffReasonZh: Type.Union([Type.String(), Type.Null()]),
  waitingSince: Type.Union([Type.String(), Type.Null()]),
  assignedUserId: Type.Union([Type.String(), Type.Null()]),
  lastIntent: Type.Union([Type.String(), Type.Null()]),
  rating: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

export const ConversationDetail = Type.Intersect([
  ConversationSummary,
  Type.Object({ messages: Type.Array(ChatMessage) }),
]);

export const AgentReplyInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: CHAT_TEXT_CHARS_MAX }),
    acknowledgeWarnings: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const AgentReplyOutput = Type.Object({
  message: ChatMessage,
  verdict: ComplianceVerdictSchema,
  findings: Type.Array(ComplianceFinding),
});

export const Suggestion = Type.Object({
  text: Type.String(),
  source: Type.Union([Type.Literal('knowledge'), Type.Literal('library')]),
  verdict: ComplianceVerdictSchema,
});

export const SuggestionsOutput = Type.Object({
  intent: Type.Union([Type.String(), Type.Null()]),
  suggestions: Type.Array(Suggestion),
});

/** Messages the server sends on the chat WebSocket. */
export type ChatServerEvent =
  | { readonly type: 'typing' }
  | {
      readonly type: 'delta';
      readonly messageId: string;
      readonly text: string;
    }
  | { readonly type: 'message'; readonly message: ChatMessage }
  | { readonly type: 'state'; readonly state: ChatState }
  | {
      readonly type: 'error';
      readonly code: string;
      readonly message: string;
    };

/** Messages the client sends on the chat WebSocket. */
export type ChatClientEvent = {
  readonly type: 'message';
  readonly text: string;
};

/**
 * Messages the server sends on the agents' inbox WebSocket: a conversation's
 * line as the inbox list shows it (customer masked), or `resync` when
 * changes may have been missed (reload the list).
 */
export type InboxServerEvent =
  | {
      readonly type: 'conversation';
      readonly conversation: ConversationSummary;
    }
  | { readonly type: 'resync' };
