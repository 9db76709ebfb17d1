import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseCookie } from 'cookie';
import type { FastifyInstance } from 'fastify';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { Context, HttpExchange, LoaderCache } from '../graphql/context';
import { documentTooLarge } from '../graphql/document-limits';
import { DomainError, ErrorCode } from '../graphql/errors';
import { formatError } from '../graphql/format-error';
import { guardOperation } from '../graphql/guard';
import { ACCESS_REVOKED, SESSION_ENDED, type AccessRevokedPayload, type CabinetEvent, type SessionEndedPayload } from '../graphql/pubsub';
import { stillAuthenticated } from '../auth';
import type { EngineOptions, SocketUpgrade } from './engine';

export const SUBSCRIPTIONS_PATH = '/graphql';
/** graphql-ws clients do not reconnect after 4401 (Unauthorized): the browser has to sign in again. */
export const SESSION_ENDED_CLOSE = { code: CloseCode.Unauthorized, reason: 'Session ended' } as const;
/** Clients reconnect after 1012 and refetch what they show: this process may have missed events. */
const RESYNC_CLOSE = { code: 1012, reason: 'Events may have been missed; reconnect and refetch' } as const;
const SHUTDOWN_CLOSE = { code: 1001, reason: 'Going away' } as const;
/** Sockets that do not answer a ping within this time are dropped (the graphql-ws default). */
const KEEP_ALIVE_MS = 12_000;
const CREDENTIAL_RECHECK_MS = 60_000;
/** How long shutdown waits for a socket's closing handshake before cutting it. */
const CLOSE_GRACE_MS = 1000;
/** A socket that has not authenticated (session or key) by then is closed: anonymous callers have nothing to follow. */
export const AUTHENTICATION_GRACE_MS = 5000;
/** The portal opens one socket per tab with a handful of subscriptions. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;
export const MAX_SOCKETS_PER_PRINCIPAL = 20;
export const MAX_SOCKETS_PER_ADDRESS = 100;
const FORBIDDEN_ORIGIN_CLOSE = { code: CloseCode.Forbidden, reason: 'Origin not allowed' } as const;
const TOO_MANY_SOCKETS_CLOSE = { code: 4429, reason: 'Too many sockets' } as const;
const UNAUTHENTICATED_CLOSE = { code: CloseCode.Unauthorized, reason: 'Authenticate at connection_init' } as const;
/** The same as the HTTP body limit. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The exchange of a WebSocket: its upgrade request's headers and cookies, with a partner key from
 * `connectionParams.authorization` taking the place of the Authorization header. It cannot set cookies.
 */
export function socketExchange(upgrade: SocketUpgrade, connectionParams: Record<string, unknown> | undefined): HttpExchange {
  const given = connectionParams?.authorization ?? connectionParams?.Authorization;
  const authorization = typeof given === 'string' ? given : first(upgrade.headers.authorization);
  let cookies: Record<string, string | undefined> | undefined;
  const refuse = () => {
    throw new Error('A WebSocket cannot set cookies: sign in and out over HTTP');
  };
  return {
    clientAddress: upgrade.ip,
    userAgent: first(upgrade.headers['user-agent']),
    secureCookies: true,
    cookie(name) {
      cookies ??= parseCookie(first(upgrade.headers.cookie) ?? '');
      return cookies[name];
    },
    header(name) {
      const lower = name.toLowerCase();
      return lower === 'authorization' ? authorization : first(upgrade.headers[lower]);
    },
    setCookie: refuse,
    clearCookie: refuse,
  };
}

interface Connection {
  socket: WebSocket;
  address: string;
  /** Ids of the subscriptions running on the socket. */
  subscriptions: Set<string>;
  /** Set at connection_init. */
  context: Context | undefined;
  alive: boolean;
}

interface Extra {
  connection: Connection;
  request: IncomingMessage;
}

interface Prepared {
  source: AsyncIterator<unknown>;
  socketContext: Context;
  /** The subscription's text, under which its compiled form is kept. */
  query: string;
}

/** At most this many distinct subscription documents are kept compiled; clients send the same few. */
const COMPILED_LIMIT = 200;

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(e.message, { originalError: e });
}

/**
 * graphql-js's mapping of source events to results, but with a result function per event (its own context);
 * the first event `admits` refuses ends the subscription (graphql-ws then sends `complete`).
 */
function mapEvents(
  source: AsyncIterator<unknown>,
  admits: (event: unknown) => boolean,
  run: (event: unknown) => ExecutionResult | Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const stop = async () => {
    await source.return?.();
  };
  return {
    async next() {
      const item = await source.next();
      if (item.done) return { value: undefined, done: true };
      if (!admits(item.value)) {
        await stop();
        return { value: undefined, done: true };
      }
      try {
        return { value: await run(item.value), done: false };
      } catch (error) {
        await stop();
        throw error;
      }
    },
    async return() {
      await stop();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function principalKey(principal: Context['principal']): string | undefined {
  if (principal.kind === 'administrator') return `s${principal.sessionId}`;
  if (principal.kind === 'apiKey') return `k${principal.apiKeyId}`;
  return undefined;
}

function closeSocket(socket: WebSocket, { code, reason }: { code: number; reason: string }, graceMs: number): Promise<void> {
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

/**
 * GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on `/graphql`, the same code under both
 * engines so that they send the same messages. Per socket: authentication at connection_init, one principal
 * for the socket's life; per subscription: the pre-execution guard and a source stream whose refusal (e.g.
 * UNAUTHENTICATED, NOT_FOUND) comes back as an `error` message; per event: a fresh context, so loaders never
 * serve data cached by an earlier event. Only subscriptions are served; queries and mutations go over HTTP.
 * Sockets close with 4401 when their session ends on any process, and with 1001 when the app closes.
 */
export function registerSubscriptions(app: FastifyInstance, options: EngineOptions): void {
  const { schema, createSocketContext, forkContext, pubsub, metrics, log, credentialRecheckMs = CREDENTIAL_RECHECK_MS, allowedOrigins } = options;
  const connections = new Set<Connection>();
  const prepared = new WeakMap<ExecutionArgs, Prepared>();
  // Each event is executed once per subscriber: the subscription's document runs compiled (graphql-jit), which
  // halves the work of a delivery. A document graphql-jit cannot compile runs through graphql's execute.
  const compiled = new Map<string, CompiledQuery | null>();
  const compiledFor = (query: string, args: ExecutionArgs): CompiledQuery | null => {
    const key = `${args.operationName ?? ''}\u0000${query}`;
    let entry = compiled.get(key);
    if (entry === undefined) {
      const result = compileQuery(schema, args.document, args.operationName ?? undefined);
      entry = isCompiledQuery(result) ? result : null;
      if (compiled.size >= COMPILED_LIMIT) compiled.clear();
      compiled.set(key, entry);
    }
    return entry;
  };
  // One event reaches every subscriber of this process as the same object; their executions share its loaders, so
  // that a thousand subscribers cost one read of the changed number, not a thousand.
  const eventLoaders = new WeakMap<object, LoaderCache>();
  const loadersOf = (event: unknown): LoaderCache => {
    if (typeof event !== 'object' || event === null) return new Map();
    let loaders = eventLoaders.get(event);
    if (!loaders) eventLoaders.set(event, (loaders = new Map()));
    return loaders;
  };
  const originAllowed = (request: IncomingMessage): boolean => {
    const origin = first(request.headers.origin);
    if (origin === undefined) return true;
    return allowedOrigins.includes(origin) || origin === `http://${request.headers.host}` || origin === `https://${request.headers.host}`;
  };
  const sockets = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_MESSAGE_BYTES, handleProtocols });
  let closing = false;

  const format = (error: GraphQLError): GraphQLFormattedError => {
    const formatted = formatError(error, log);
    metrics.countError(String(formatted.extensions?.code));
    return formatted;
  };

  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    schema,
    async onConnect({ extra, connectionParams }) {
      const { connection, request } = extra;
      try {
        const context = await createSocketContext({ headers: request.headers, ip: request.socket.remoteAddress ?? '' }, connectionParams);
        const principal = context.principal;
        // A page of another site cannot ride the browser's session cookie (cross-site WebSocket hijacking).
        if (principal.kind === 'administrator' && !originAllowed(request)) {
          connection.socket.close(FORBIDDEN_ORIGIN_CLOSE.code, FORBIDDEN_ORIGIN_CLOSE.reason);
          return false;
        }
        const owner = principalKey(principal);
        if (owner && [...connections].filter((c) => c.context && principalKey(c.context.principal) === owner).length >= MAX_SOCKETS_PER_PRINCIPAL) {
          connection.socket.close(TOO_MANY_SOCKETS_CLOSE.code, TOO_MANY_SOCKETS_CLOSE.reason);
          return false;
        }
        connection.context = context;
        if (principal.kind === 'anonymous') {
          setTimeout(() => connection.socket.close(UNAUTHENTICATED_CLOSE.code, UNAUTHENTICATED_CLOSE.reason), AUTHENTICATION_GRACE_MS).unref();
        }
        return true;
      } catch (error) {
        log.error({ err: error }, 'could not authenticate a WebSocket');
        connection.socket.close(1013, 'Try again later');
        return false;
      }
    },
    async onSubscribe({ extra }, id, payload) {
      const socketContext = extra.connection.context!;
      if (extra.connection.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
        return [asGraphQLError(new DomainError(ErrorCode.RATE_LIMITED, `At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per socket`))];
      }
      const tooLarge = documentTooLarge(payload.query);
      if (tooLarge) return [asGraphQLError(new DomainError(ErrorCode.QUERY_TOO_COMPLEX, tooLarge))];
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [asGraphQLError(error)];
      }
      const invalid = validate(schema, document);
      if (invalid.length > 0) return invalid;
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) return [new GraphQLError('Name the operation to run: the document holds several')];
      if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
        return [new GraphQLError('Only subscriptions are served over the WebSocket; send queries and mutations over HTTP')];
      }
      const context = forkContext(socketContext);
      const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: context };
      try {
        await guardOperation(context, schema, document, payload.operationName, payload.variables);
        const source = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in source)) return source.errors ?? [new GraphQLError('The subscription could not start')];
        prepared.set(args, { source: source[Symbol.asyncIterator](), socketContext, query: payload.query });
        extra.connection.subscriptions.add(id);
      } catch (error) {
        return [asGraphQLError(error)];
      }
      return args;
    },
    subscribe(args) {
      const { source, socketContext, query } = prepared.get(args)!;
      prepared.delete(args);
      const program = compiledFor(query, args);
      // A company's events reach only a socket whose principal still holds it (see ACCESS_REVOKED below).
      const admits = (event: unknown) => {
        const companyId = (event as Partial<CabinetEvent> | null)?.companyId;
        const principal = socketContext.principal;
        return typeof companyId !== 'number' || (principal.kind !== 'anonymous' && principal.companyIds.has(companyId));
      };
      return mapEvents(source, admits, (event) => {
        const contextValue = forkContext(socketContext).shareLoaders(loadersOf(event));
        return program ? program.query(event, contextValue, args.variableValues ?? {}) : execute({ ...args, rootValue: event, contextValue });
      });
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(format) } : undefined),
    onError: (_ctx, _id, _payload, errors) => errors.map(format),
    onComplete: ({ extra }, id) => {
      extra.connection.subscriptions.delete(id);
    },
  });

  const accept = (socket: WebSocket, request: IncomingMessage) => {
    const connection: Connection = { socket, address: request.socket.remoteAddress ?? '', subscriptions: new Set(), context: undefined, alive: true };
    connections.add(connection);
    socket.on('error', (error) => log.debug({ err: error }, 'WebSocket error'));
    socket.on('pong', () => (connection.alive = true));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== WebSocket.OPEN) return resolve();
            socket.send(data, (error) => (error && socket.readyState === WebSocket.OPEN ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              log.error({ err: error }, 'a WebSocket message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { connection, request },
    );
    socket.once('close', (closeCode, reason) => {
      connections.delete(connection);
      closed(closeCode, reason.toString()).catch((error: unknown) => log.error({ err: error }, 'WebSocket cleanup failed'));
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (closing || path !== SUBSCRIPTIONS_PATH) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const address = request.socket.remoteAddress ?? '';
    if ([...connections].filter((c) => c.address === address).length >= MAX_SOCKETS_PER_ADDRESS) {
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => accept(ws, request));
  };
  app.server.on('upgrade', onUpgrade);

  const keepAlive = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, KEEP_ALIVE_MS).unref();

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
    }
  });
  // Sessions also end by time and keys by revocation without an event: look at every open socket's again.
  const recheck = async () => {
    const open = [...connections].filter((c) => c.context && c.context.principal.kind !== 'anonymous');
    if (open.length === 0) return;
    const isLive = await stillAuthenticated(forkContext(open[0].context!).db, open.map((c) => c.context!.principal));
    for (const { socket, context } of open) if (!isLive(context!.principal)) socket.close(SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason);
  };
  const credentialTimer = setInterval(() => {
    recheck().catch((error: unknown) => log.warn({ err: error }, 'could not check the sockets’ sessions'));
  }, credentialRecheckMs).unref();

  const stopResync = pubsub.onResync(() => {
    for (const { socket } of connections) socket.close(RESYNC_CLOSE.code, RESYNC_CLOSE.reason);
  });

  app.addHook('preClose', async () => {
    closing = true;
    clearInterval(keepAlive);
    clearInterval(credentialTimer);
    stopSessionEnded();
    stopAccessRevoked();
    stopResync();
    await Promise.all([...connections].map(({ socket }) => closeSocket(socket, SHUTDOWN_CLOSE, CLOSE_GRACE_MS)));
    app.server.off('upgrade', onUpgrade);
    sockets.close();
  });
}
