// The hub of a store-backed server: in-process fan-out on SQLite (one
// server process owns the file); on PostgreSQL the same hub with the
// LISTEN/NOTIFY broker, so every instance on the database sees every
// conversation's events. The receiving side reads messages and state from
// the store by id.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/kysely-database.js';
import type { Repositories } from '../db/repositories/index.js';
import { ChatHub } from './chat-hub.js';
import { stateOf, toWireMessage } from './chat-service.js';
import { PostgresChatBroker } from './postgres-chat-broker.js';

export function createStoreChatHub(
  store: {
    readonly handle: DatabaseHandle;
    readonly repositories: Repositories;
  },
  onError: (error: unknown, context: string) => void,
): ChatHub {
  const instanceId = randomUUID();
  const { handle, repositories } = store;
  const broker =
    handle.dialect === 'postgres' && handle.pgClient !== undefined
      ? new PostgresChatBroker({
          client: handle.pgClient,
          instanceId,
          notify: async (channel, payload) => {
            await sql`SELECT pg_notify(${channel}, ${payload})`.execute(
              handle.db,
            );
          },
          onError,
        })
      : undefined;
  return new ChatHub({
    instanceId,
    ...(broker === undefined ? {} : { broker }),
    loader: {
      messages: async (conversationId, ids) =>
        (
          await repositories.conversations.findMessages(conversationId, ids)
        ).map(toWireMessage),
      state: async (conversationId) => {
        const conversation =
          await repositories.conversations.findById(conversationId);
        return conversation === undefined ? undefined : stateOf(conversation);
      },
    },
    onError: (error) => onError(error, 'receive'),
  });
}
