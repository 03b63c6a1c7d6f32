import { useEffect } from 'react';
import { getJson } from '../../shared/api.js';
import type { ConversationDetail } from '../../shared/chat-wire.js';
import { type Resource, useResource } from '../../shared/use-resource.js';

// Bound: the open conversation is refreshed every few seconds so the agent
// sees the borrower's new messages (agents have no socket of their own).
const REFRESH_MS = 3000;

export type ConversationResource = Resource<ConversationDetail | undefined> & {
  readonly id: string | undefined;
};

export function useConversation(id: string | undefined): ConversationResource {
  const resource = useResource<ConversationDetail | undefined>(
    async (signal) =>
      id === undefined
        ? undefined
        : getJson<ConversationDetail>(
            `/conversations/${encodeURIComponent(id)}`,
            { signal },
          ),
    [id],
  );
  const { reload } = resource;
  useEffect(() => {
    if (id === undefined) return;
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [id, reload]);
  return { ...resource, id };
}
