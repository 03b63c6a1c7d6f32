// The chat and conversation wire types the web uses, from the shared
// contract of the chat API (types only: no schema code reaches the bundle).
import type { Static } from '@sinclair/typebox';
import type {
  ChatState,
  ConversationSummary,
  ComplianceFinding as Finding,
  ChatMessage as Message,
  Suggestion as SuggestionSchema,
} from '../../../src/contracts/chat.js';

export type {
  ChatServerEvent,
  ChatState,
  ConversationSummary,
  InboxServerEvent,
} from '../../../src/contracts/chat.js';

export type ChatMessage = Message;
export type ComplianceFinding = Finding;
export type ChatSender = ChatMessage['sender'];
export type ConversationStatus = ChatState['status'];
export type ComplianceVerdict = 'pass' | 'warn' | 'block';
export type ConversationDetail = ConversationSummary & {
  messages: ChatMessage[];
};
export type Suggestion = Static<typeof SuggestionSchema>;
