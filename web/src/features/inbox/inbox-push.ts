import { useEffect, useRef, useState } from 'react';
import type {
  ConversationStatus,
  ConversationSummary,
  InboxServerEvent,
} from '../../shared/chat-wire.js';

// The inbox's push channel: a WebSocket on /api/v1/conversations/ws (the
// session cookie authenticates it) that sends each changed conversation's
// line. Re-opened with backoff when it drops; while it is down the list
// falls back to a slow poll.

const RECONNECT_MS_MIN = 1_000;
const RECONNECT_MS_MAX = 30_000;

/** Opens the push socket; returns whether it is connected now. */
export function useInboxPush(
  onEvent: (event: InboxServerEvent) => void,
): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let socket: WebSocket | undefined;
    let timer: number | undefined;
    const open = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      const ws = new WebSocket(
        `${scheme}://${window.location.host}/api/v1/conversations/ws`,
      );
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        setConnected(true);
      };
      ws.onmessage = (message) => {
        let event: InboxServerEvent;
        try {
          event = JSON.parse(String(message.data)) as InboxServerEvent;
        } catch {
          return;
        }
        handler.current(event);
      };
      ws.onclose = () => {
        setConnected(false);
        if (stopped) return;
        const ceiling = Math.min(
          RECONNECT_MS_MAX,
          RECONNECT_MS_MIN * 2 ** attempt,
        );
        attempt += 1;
        timer = window.setTimeout(open, ceiling);
      };
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      socket?.close();
    };
  }, []);
  return connected;
}

function order(status: ConversationStatus) {
  // As the server lists them: the longest wait first; others most recent.
  return status === 'waiting_agent'
    ? (a: ConversationSummary, b: ConversationSummary) =>
        (a.waitingSince ?? '').localeCompare(b.waitingSince ?? '') ||
        a.id.localeCompare(b.id)
    : (a: ConversationSummary, b: ConversationSummary) =>
        b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id);
}

/**
 * The list shown: the loaded one with the pushed lines applied — a line
 * replaced by its newer version, gone when it left this status, added when
 * it entered it.
 */
export function applyPushed(
  loaded: readonly ConversationSummary[],
  pushed: ReadonlyMap<string, ConversationSummary>,
  status: ConversationStatus,
): ConversationSummary[] {
  const out = new Map<string, ConversationSummary>();
  for (const item of loaded) out.set(item.id, item);
  for (const [id, item] of pushed) {
    const known = out.get(id);
    if (known !== undefined && known.updatedAt > item.updatedAt) continue;
    if (item.status === status) out.set(id, item);
    else out.delete(id);
  }
  return [...out.values()].sort(order(status));
}
