import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseCookie } from 'cookie';
import type { FastifyInstance } from 'fastify';
import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type GraphQLFormattedError } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { Context, HttpExchange } from '../core/context';
import { limitedAddress } from '../core/address';
import { DomainError, ErrorCode, retryAfterOf } from '../core/errors';
import { companyOfStream } from '../core/events';
import { formatError, withoutSuggestions } from '../graphql/format-error';
import { guardOperation } from '../graphql/guard';
import { admittedBy, asGraphQLError, compiledDocuments, eventLoaderSharing, mapEvents, subscriptionDocument } from '../graphql/subscription-execution';
import { stillAuthenticated } from '../auth';
import type { EngineOptions, SocketUpgrade } from './engine';
import { closeSocket, followSocketEvents, keepAlive, principalKey, SESSION_ENDED_CLOSE, type Connection } from './socket-connections';

export const SUBSCRIPTIONS_PATH = '/graphql';
export { SESSION_ENDED_CLOSE };
const SHUTDOWN_CLOSE = { code: 1001, reason: 'Going away' } as const;
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

/**
 * GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on `/graphql`, the same code under both
 * engines so that they send the same messages. Per socket: authentication at connection_init, one principal
 * for the socket's life; per subscription: the pre-execution guard and a source stream whose refusal (e.g.
 * UNAUTHENTICATED, NOT_FOUND) comes back as an `error` message; per event: a fresh context, so loaders never
 * serve data cached by an earlier event. Only subscriptions are served; queries and mutations go over HTTP.
 * Sockets close with 4401 when their session ends on any process, and with 1001 when the app closes.
 */
export function registerSubscriptions(app: FastifyInstance, options: EngineOptions): void {
  const {
    schema,
    createSocketContext,
    forkContext,
    pubsub,
    socketLeases,
    documents,
    clientAddress,
    metrics,
    log,
    credentialRecheckMs = CREDENTIAL_RECHECK_MS,
    allowedOrigins,
  } = options;
  const connections = new Set<Connection>();
  const prepared = new WeakMap<ExecutionArgs, Prepared>();
  const compiledFor = compiledDocuments(schema);
  const loadersOf = eventLoaderSharing();
  const originAllowed = (request: IncomingMessage): boolean => {
    const origin = first(request.headers.origin);
    if (origin === undefined) return true;
    return allowedOrigins.includes(origin) || origin === `http://${request.headers.host}` || origin === `https://${request.headers.host}`;
  };
  /** Keeps a lease with its socket; one taken while the socket closed is given back at once. */
  const holdLease = (connection: Connection, lease: string): boolean => {
    if (connection.socket.readyState === WebSocket.OPEN) {
      connection.leases.push(lease);
      return true;
    }
    void socketLeases.release([lease]);
    return false;
  };
  const sockets = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: MAX_MESSAGE_BYTES, handleProtocols });
  let closing = false;

  /** Errors as the socket's caller gets them: masked, counted, and without field suggestions for anonymous callers. */
  const format = (connection: Connection, errors: readonly GraphQLError[]): GraphQLFormattedError[] => {
    // The socket's logger: the line carries its socketId, as a request's carries its reqId.
    const formatted = errors.map((error) => formatError(error, connection.context?.log ?? log));
    for (const error of formatted) metrics.countError(String(error.extensions?.code));
    return JSON.parse(withoutSuggestions(JSON.stringify(formatted), connection.context?.principal)) as GraphQLFormattedError[];
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
        if (owner) {
          const lease = await socketLeases.acquire(`p:${owner}`, MAX_SOCKETS_PER_PRINCIPAL);
          if (lease === null) {
            connection.socket.close(TOO_MANY_SOCKETS_CLOSE.code, TOO_MANY_SOCKETS_CLOSE.reason);
            return false;
          }
          if (!holdLease(connection, lease)) return false;
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
      const { connection } = extra;
      const socketContext = connection.context!;
      if (connection.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
        return [asGraphQLError(new DomainError(ErrorCode.RATE_LIMITED, `At most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions per socket`))];
      }
      // The place is taken before the first await, so that a burst of frames cannot all pass the check; a refusal frees it.
      connection.subscriptions.add(id);
      const refuse = (errors: readonly GraphQLError[]) => {
        connection.subscriptions.delete(id);
        connection.companyStreams.delete(id);
        return errors;
      };
      const settled = await documents.resolve(payload.query, payload.extensions, socketContext.principal.kind === 'apiKey');
      if (settled.refusal) return refuse([asGraphQLError(new DomainError(settled.refusal.code, settled.refusal.message))]);
      const query = settled.query ?? payload.query;
      const document = subscriptionDocument(schema, query, payload.operationName);
      if (Array.isArray(document)) return refuse(document);
      const context = forkContext(socketContext);
      const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: context };
      try {
        await guardOperation(context, schema, document, payload.operationName, payload.variables);
        const source = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in source)) return refuse(source.errors ?? [new GraphQLError('The subscription could not start')]);
        const iterator = source[Symbol.asyncIterator]();
        prepared.set(args, { source: iterator, socketContext, query });
        const companyId = companyOfStream(iterator);
        if (companyId !== undefined) connection.companyStreams.set(id, { companyId, return: () => iterator.return?.() });
      } catch (error) {
        return refuse([asGraphQLError(error)]);
      }
      return args;
    },
    subscribe(args) {
      const { source, socketContext, query } = prepared.get(args)!;
      prepared.delete(args);
      const program = compiledFor(query, args);
      return mapEvents(source, admittedBy(socketContext), (event, attempt) => {
        // A retry loads afresh: the shared loaders may hold the failed attempt's rejections.
        const contextValue = attempt === 0 ? forkContext(socketContext).shareLoaders(loadersOf(event)) : forkContext(socketContext);
        return program ? program.query(event, contextValue, args.variableValues ?? {}) : execute({ ...args, rootValue: event, contextValue });
      });
    },
    onNext: ({ extra }, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(extra.connection, result.errors) } : undefined),
    onError: ({ extra }, _id, _payload, errors) => format(extra.connection, errors),
    onComplete: ({ extra }, id) => {
      extra.connection.subscriptions.delete(id);
      extra.connection.companyStreams.delete(id);
    },
  });

  const accept = (socket: WebSocket, request: IncomingMessage, address: string, addressLease: string) => {
    const connection: Connection = {
      socket,
      address,
      leases: [addressLease],
      subscriptions: new Set(),
      companyStreams: new Map(),
      context: undefined,
      alive: true,
    };
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
      void socketLeases.release(connection.leases.splice(0));
      closed(closeCode, reason.toString()).catch((error: unknown) => log.error({ err: error }, 'WebSocket cleanup failed'));
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (closing || path !== SUBSCRIPTIONS_PATH) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const address = clientAddress({ headers: request.headers, ip: request.socket.remoteAddress ?? '' });
    socketLeases.acquire(`a:${limitedAddress(address)}`, MAX_SOCKETS_PER_ADDRESS).then(
      (lease) => {
        if (lease === null) return socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        if (closing || socket.destroyed) {
          void socketLeases.release([lease]);
          return socket.destroy();
        }
        sockets.handleUpgrade(request, socket, head, (ws) => accept(ws, request, address, lease));
      },
      (error: unknown) => {
        log.warn({ err: error }, 'could not count the open sockets');
        socket.end(
          `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${retryAfterOf(ErrorCode.SERVICE_UNAVAILABLE)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
      },
    );
  };
  app.server.on('upgrade', onUpgrade);

  const stopKeepAlive = keepAlive(connections);
  const stopSocketEvents = followSocketEvents(pubsub, connections);
  // Sessions also end by time and keys by revocation without an event: look at every open socket's again.
  const recheck = async () => {
    const open = [...connections].filter((c) => c.context && c.context.principal.kind !== 'anonymous');
    if (open.length === 0) return;
    const isLive = await stillAuthenticated(
      forkContext(open[0].context!).db,
      open.map((c) => c.context!.principal),
    );
    for (const { socket, context } of open) if (!isLive(context!.principal)) socket.close(SESSION_ENDED_CLOSE.code, SESSION_ENDED_CLOSE.reason);
  };
  const credentialTimer = setInterval(() => {
    recheck().catch((error: unknown) => log.warn({ err: error }, 'could not check the sockets’ sessions'));
  }, credentialRecheckMs).unref();

  app.addHook('preClose', async () => {
    closing = true;
    stopKeepAlive();
    clearInterval(credentialTimer);
    stopSocketEvents();
    await Promise.all([...connections].map(({ socket }) => closeSocket(socket, SHUTDOWN_CLOSE, CLOSE_GRACE_MS)));
    app.server.off('upgrade', onUpgrade);
    sockets.close();
  });
}
