import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema, OperationTypeNode } from 'graphql';
import type { Context } from '../core/context';
import type { PgPubSub } from '../graphql/pubsub';
import type { Logger } from '../core/logger';
import type { DocumentPolicy } from './http-request';
import type { SocketLeases } from './socket-leases';
import type { Metrics } from '../observability/metrics';

/** What a WebSocket's upgrade request tells about its client. */
export interface SocketUpgrade {
  headers: Record<string, string | string[] | undefined>;
  ip: string;
}

/** What an engine needs from the app; engines hold no business logic. */
export interface EngineOptions {
  schema: GraphQLSchema;
  createContext(request: FastifyRequest, reply: FastifyReply): Promise<Context>;
  /**
   * Authenticates a WebSocket at `connection_init` the way `createContext` does a request: a partner key in
   * `connectionParams.authorization` or the upgrade's Authorization header, else the session cookie of the
   * upgrade request. The socket keeps this context's principal for its lifetime; it cannot set cookies.
   */
  createSocketContext(upgrade: SocketUpgrade, connectionParams: Record<string, unknown> | undefined): Promise<Context>;
  /**
   * Called once the pre-execution guard has let an HTTP request's operation through, before it runs: where a query
   * reads from, and which mutations record their caller's write position, are decided here.
   */
  startOperation(context: Context, kind: OperationTypeNode): void;
  /** A context for one execution on a socket: the socket's principal and language, fresh loaders and statement count. */
  forkContext(context: Context): Context;
  /** Where subscriptions get their events, and sockets learn of ended sessions. */
  pubsub: PgPubSub;
  /** Which documents subscriptions may carry, and the texts of persisted ones. */
  documents: DocumentPolicy;
  /** The limits on open sockets, shared by every process. */
  socketLeases: SocketLeases;
  /** The upgrade's client address, found as for HTTP requests (the first address not of a trusted proxy). */
  clientAddress(upgrade: SocketUpgrade): string;
  /** How often open sockets' sessions and keys are checked again (idle or absolute expiry, revocation). */
  credentialRecheckMs?: number;
  metrics: Metrics;
  log: Logger;
  /** Origins besides the portal's own whose pages may open a cookie-authenticated WebSocket. */
  allowedOrigins: readonly string[];
}

export type Engine = (app: FastifyInstance, options: EngineOptions) => Promise<void>;
