import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiRequestError, getJson, postJson } from '../../shared/api.js';
import type {
  ChatMessage,
  ChatServerEvent,
  ChatState,
} from '../../shared/chat-wire.js';

// The borrower's side of a conversation: start (or resume, within this
// browser tab) a chat session, then talk over the WebSocket, which streams
// the bot's reply as deltas; plain HTTP is the fallback when the socket is
// down. The conversation token lives in sessionStorage only: closing the tab
// ends the borrower's access.

const STORAGE_KEY = 'loandesk.chat';
const TOKEN_HEADER = 'x-chat-token';

type Stored = { conversationId: string; token: string };

export type ChatView = {
  readonly messages: readonly ChatMessage[];
  /** Bot replies being streamed: message id → text so far. */
  readonly streaming: ReadonlyMap<string, string>;
  readonly state: ChatState | undefined;
  readonly typing: boolean;
  readonly error: string | undefined;
  readonly connected: boolean;
  readonly send: (text: string) => Promise<void>;
  readonly rate: (score: number, comment: string) => Promise<void>;
  readonly restart: () => void;
};

function readStored(): Stored | undefined {
  try {
    const value: unknown = JSON.parse(
      sessionStorage.getItem(STORAGE_KEY) ?? 'null',
    );
    const stored = value as Partial<Stored> | null;
    if (
      typeof stored?.conversationId === 'string' &&
      typeof stored.token === 'string'
    )
      return { conversationId: stored.conversationId, token: stored.token };
  } catch {
    // A damaged entry starts a new conversation.
  }
  return undefined;
}

function merge(
  messages: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

async function openSession(): Promise<{
  session: Stored;
  messages: ChatMessage[];
  state: ChatState | undefined;
}> {
  const stored = readStored();
  if (stored !== undefined) {
    try {
      const history = await getJson<{
        messages: ChatMessage[];
        state: ChatState;
      }>(
        `/chat/sessions/${encodeURIComponent(stored.conversationId)}/messages`,
        {
          headers: { [TOKEN_HEADER]: stored.token },
        },
      );
      return { session: stored, ...history };
    } catch (caught) {
      if (!(caught instanceof ApiRequestError)) throw caught;
      sessionStorage.removeItem(STORAGE_KEY);
    }
  }
  const started = await postJson<{
    conversationId: string;
    token: string;
    messages: ChatMessage[];
    state?: ChatState;
  }>('/chat/sessions', { channel: 'web' });
  const session = {
    conversationId: started.conversationId,
    token: started.token,
  };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return { session, messages: started.messages, state: started.state };
}

export function useChatSession(failedText: string): ChatView {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [streaming, setStreaming] = useState<Map<string, string>>(new Map());
  const [state, setState] = useState<ChatState>();
  const [typing, setTyping] = useState(false);
  const [error, setError] = useState<string>();
  const [connected, setConnected] = useState(false);
  const [generation, setGeneration] = useState(0);
  const session = useRef<Stored | undefined>(undefined);
  const socket = useRef<WebSocket | undefined>(undefined);

  const onEvent = useCallback((event: ChatServerEvent) => {
    if (event.type === 'typing') setTyping(true);
    else if (event.type === 'delta') {
      setTyping(false);
      setStreaming((current) => {
        const next = new Map(current);
        next.set(
          event.messageId,
          (next.get(event.messageId) ?? '') + event.text,
        );
        return next;
      });
    } else if (event.type === 'message') {
      setTyping(false);
      setStreaming((current) => {
        if (!current.has(event.message.id)) return current;
        const next = new Map(current);
        next.delete(event.message.id);
        return next;
      });
      setMessages((current) => merge(current, [event.message]));
    } else if (event.type === 'state') setState(event.state);
    else if (event.type === 'error') {
      setTyping(false);
      setError(event.message);
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation restarts the conversation.
  useEffect(() => {
    let closed = false;
    openSession()
      .then((opened) => {
        if (closed) return;
        session.current = opened.session;
        setMessages(opened.messages);
        setState(opened.state);
        const { conversationId, token } = opened.session;
        const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
        const ws = new WebSocket(
          `${scheme}://${window.location.host}/api/v1/chat/ws?conversationId=${encodeURIComponent(conversationId)}&token=${encodeURIComponent(token)}`,
        );
        ws.onopen = () => setConnected(true);
        ws.onclose = () => setConnected(false);
        ws.onmessage = (message) => {
          try {
            onEvent(JSON.parse(String(message.data)) as ChatServerEvent);
          } catch {
            // Not a chat event: ignore.
          }
        };
        socket.current = ws;
      })
      .catch(() => {
        if (!closed) setError(failedText);
      });
    return () => {
      closed = true;
      socket.current?.close();
      socket.current = undefined;
    };
  }, [generation, onEvent, failedText]);

  const send = useCallback(
    async (text: string) => {
      setError(undefined);
      const ws = socket.current;
      if (ws !== undefined && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ type: 'message', text }));
        return;
      }
      const current = session.current;
      if (current === undefined) return;
      setTyping(true);
      try {
        const turn = await postJson<{
          messages: ChatMessage[];
          state: ChatState;
        }>(
          `/chat/sessions/${encodeURIComponent(current.conversationId)}/messages`,
          { text },
          { headers: { [TOKEN_HEADER]: current.token } },
        );
        setMessages((existing) => merge(existing, turn.messages));
        setState(turn.state);
      } catch (caught) {
        setError(
          caught instanceof ApiRequestError ? caught.error.message : failedText,
        );
      } finally {
        setTyping(false);
      }
    },
    [failedText],
  );

  const rate = useCallback(async (score: number, comment: string) => {
    const current = session.current;
    if (current === undefined) return;
    await postJson(
      `/chat/sessions/${encodeURIComponent(current.conversationId)}/rating`,
      comment.trim() === '' ? { score } : { score, comment: comment.trim() },
      { headers: { [TOKEN_HEADER]: current.token } },
    );
  }, []);

  const restart = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setMessages([]);
    setStreaming(new Map());
    setState(undefined);
    setError(undefined);
    setGeneration((n) => n + 1);
  }, []);

  return {
    messages,
    streaming,
    state,
    typing,
    error,
    connected,
    send,
    rate,
    restart,
  };
}
