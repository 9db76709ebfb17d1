import { CloseCode } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { Context } from '../core/context';
import { ACCESS_REVOKED, SESSION_ENDED, type AccessRevokedPayload, type SessionEndedPayload } from '../core/events';
import { type PgPubSub } from '../graphql/pubsub';

/** graphql-ws clients do not reconnect after 4401 (Unauthorized): the browser has to sign in again. */
export const SESSION_ENDED_CLOSE = { code: CloseCode.Unauthorized, reason: 'Session ended' } as const;
/** Clients reconnect after 1012 and resume from their cursors: this process may have missed a session's end or a revoked grant. */
const RESYNC_CLOSE = { code: 1012, reason: 'Events may have been missed; reconnect and resume' } as const;
/** Sockets that do not answer a ping within this time are dropped (the graphql-ws default). */
const KEEP_ALIVE_MS = 12_000;

/** An open WebSocket of this process. */
export interface Connection {
  socket: WebSocket;
  /** The client's address (behind trusted proxies, the one they name). */
  address: string;
  /** The socket's leases in the limits shared by all processes (its address; its session or key once authenticated). */
  leases: string[];
  /** Ids of the subscriptions running on the socket. */
  subscriptions: Set<string>;
  /** The sources of those that follow a company's events, by subscription id: a revoked grant ends them. */
  companyStreams: Map<string, { companyId: number; return?: () => unknown }>;
  /** Set at connection_init. */
  context: Context | undefined;
  alive: boolean;
}

export function principalKey(principal: Context['principal']): string | undefined {
  if (principal.kind === 'administrator') return `s${principal.sessionId}`;
  if (principal.kind === 'apiKey') return `k${principal.apiKeyId}`;
  return undefined;
}

export function closeSocket(socket: WebSocket, { code, reason }: { code: number; reason: string }, graceMs: number): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(code, reason);
  });
}

/** Pings every socket; one that did not answer the previous ping is cut. Returns the function that stops it. */
export function keepAlive(connections: ReadonlySet<Connection>, intervalMs = KEEP_ALIVE_MS): () => void {
  const timer = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, intervalMs).unref();
  return () => clearInterval(timer);
}

/**
 * What the sockets learn from events with no company, published on any process: a session's end closes its
 * sockets with 4401; a revoked grant leaves the socket's principal without the company and completes, at once,
 * the socket's subscriptions to it (the others go on). After a loss of the
 * LISTEN connection, when such events may have been missed, every socket is closed with 1012. Returns the function that stops it.
 */
export function followSocketEvents(pubsub: PgPubSub, connections: ReadonlySet<Connection>): () => void {
  const stopSessionEnded = pubsub.on(SESSION_ENDED, (event) => {
    const { administratorId, sessionId, exceptSessionId } = event.payload as Partial<SessionEndedPayload>;
    for (const { socket, context } of connections) {
      const principal = context?.principal;
      if (principal?.kind !== 'administrator' || principal.administratorId !== administratorId) continue;
      const ended = sessionId == null ? principal.sessionId !== exceptSessionId : principal.sessionId === sessionId;
      if (ended) socket.close(SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason);
    }
  });
  const stopAccessRevoked = pubsub.on(ACCESS_REVOKED, (event) => {
    const { administratorId, companyId } = event.payload as Partial<AccessRevokedPayload>;
    for (const connection of connections) {
      const principal = connection.context?.principal;
      if (principal?.kind !== 'administrator' || principal.administratorId !== administratorId || typeof companyId !== 'number') continue;
      const companyIds = new Set(principal.companyIds);
      companyIds.delete(companyId);
      connection.context!.principal = { ...principal, companyIds };
      for (const stream of connection.companyStreams.values()) if (stream.companyId === companyId) void stream.return?.();
    }
  });
  const stopResync = pubsub.onResync(() => {
    for (const { socket } of connections) socket.close(RESYNC_CLOSE.code, RESYNC_CLOSE.reason);
  });
  return () => {
    stopSessionEnded();
    stopAccessRevoked();
    stopResync();
  };
}
