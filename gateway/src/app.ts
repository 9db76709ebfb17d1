import 'reflect-metadata';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import { parseCookie, stringifySetCookie } from 'cookie';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { GraphQLSchema, OperationTypeNode } from 'graphql';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config';
import { numbersStuckInProcess } from './billing/billing.health';
import { migrationsApplied } from './db/database';
import { Standby } from './db/standby';
import { authenticate, recordWritePosition } from './auth';
import { registerDownloads } from './servers/download.route';
import { registerUploads } from './servers/upload.route';
import { redactUploadUrl } from './bulk/bulk.upload';
import { mailOutboxDir } from './delivery/mail';
import { fromThisMachine, registerOutboxPage } from './delivery/outbox.route';
import { createSmsSender, type SmsSender } from './delivery/sms';
import { redactDownloadUrl } from './delivery/download.token';
import { Context, type HttpExchange } from './core/context';
import { languageFrom } from './core/language';
import { slot } from './core/slot';
import { followSessionEvents, SessionCache } from './core/session-cache';
import { PgPubSub } from './graphql/pubsub';
import { buildGatewaySchema } from './graphql/schema';
import { LazyChildLogger, type Logger } from './core/logger';
import { registerGraphiql } from './observability/graphiql';
import { registerReleases, TrustedDocuments } from './releases';
import { Metrics } from './observability/metrics';
import type { ReportQueue } from './documents/report.queue';
import type { OperationQueue } from './operations/operation.queue';
import type { ApprovalQueue, BulkQueue } from './bulk';
import { apolloEngine } from './servers/apollo';
import { registerCsrfProtection } from './servers/csrf';
import { DocumentPolicy, registerGraphqlRequestChecks } from './servers/http-request';
import type { Engine, SocketUpgrade } from './servers/engine';
import { mercuriusEngine } from './servers/mercurius';
import { SocketLeases } from './servers/socket-leases';
import { socketExchange } from './servers/subscriptions';

export interface RequestStats {
  operation: string;
  sqlStatements: number;
  seconds: number;
  /** For a query: where its reads ran (the standby of DATABASE_READ_URL, or the primary). */
  database?: 'primary' | 'standby';
}

export interface AppOptions {
  /** The configuration parsed once at start-up by `loadConfig`. */
  config: AppConfig;
  dataSource: DataSource;
  log: Logger;
  /** Called once per GraphQL request after the response is sent. */
  onRequestStats?: (stats: RequestStats) => void;
  /** Where SMS go; the outbox table and the log by default. */
  sms?: SmsSender;
  /** The job queues operations on numbers and report requests go to; without them, those are refused. */
  operations?: OperationQueue;
  reports?: ReportQueue;
  /** Where fleet operations' driver jobs go; without it, starting one is refused. */
  bulk?: BulkQueue;
  /** Where requests for a second administrator's approval go (their e-mails and expiry); without it, such requests are refused. */
  approvals?: ApprovalQueue;
  /** For tests of the transport: serve this schema instead of the gateway's. */
  schema?: GraphQLSchema;
  /** How often open sockets' credentials are checked again (default a minute). */
  credentialRecheckMs?: number;
  /** The sessions kept in memory between lookups (a new one by default; none with a standby for reads). */
  sessionCache?: SessionCache;
}

const NO_QUEUE = async () => {
  throw new Error('This gateway was started without job queues');
};
const NO_OPERATIONS: OperationQueue = { enqueue: NO_QUEUE };
const NO_REPORTS: ReportQueue = { enqueueReport: NO_QUEUE };
const NO_BULK: BulkQueue = { enqueue: NO_QUEUE };
const NO_APPROVALS: ApprovalQueue = { send: NO_QUEUE };

/** The upgrade with its client address found as for HTTP requests: the first address not of a trusted proxy. */
function socketClient(upgrade: SocketUpgrade, trusts: (address: string, hop: number) => boolean): SocketUpgrade {
  const ip = proxyAddr({ headers: upgrade.headers, socket: { remoteAddress: upgrade.ip } } as unknown as IncomingMessage, trusts);
  return { ...upgrade, ip };
}

/** The URL as the log may show it: without the token of a download link or an upload URL. */
const redactUrl = (url: string) => redactUploadUrl(redactDownloadUrl(url));

/** Fastify's own log lines, with a link's token left out of the not-found line as well. */
class RedactingLogController extends LogController {
  override routeNotFound(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info(`Route ${request.raw.method}:${redactUrl(request.raw.url ?? '')} not found`);
  }
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function httpExchange(request: FastifyRequest, reply: FastifyReply): HttpExchange {
  let cookies: Record<string, string | undefined> | undefined;
  const secureCookies = !LOCAL_HOSTS.has(request.hostname.replace(/:\d+$/, ''));
  const set = (name: string, value: string, maxAge: number) => {
    const header = stringifySetCookie({ name, value, httpOnly: true, sameSite: 'strict', secure: secureCookies, path: '/', maxAge });
    const existing = reply.getHeader('set-cookie');
    reply.header('set-cookie', [...(Array.isArray(existing) ? existing : existing ? [String(existing)] : []), header]);
  };
  return {
    clientAddress: request.ip,
    userAgent: request.headers['user-agent'],
    secureCookies,
    cookie(name) {
      cookies ??= parseCookie(request.headers.cookie ?? '');
      return cookies[name];
    },
    header(name) {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    },
    setCookie: set,
    clearCookie: (name) => set(name, '', 0),
  };
}

/** With METRICS_TOKEN, the bearer of that token; without it, only a scraper on this machine, not one behind a proxy here. */
function metricsAllowed(request: FastifyRequest, token: string | undefined): boolean {
  if (token === undefined) return fromThisMachine(request);
  const given = Buffer.from(request.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const engines: Record<AppConfig['engine'], Engine> = { mercurius: mercuriusEngine, apollo: apolloEngine };

declare module 'fastify' {
  interface FastifyRequest {
    cabinet?: {
      context?: Context;
      /** The context the operation ran with (Apollo runs each with a shallow copy of `context`) and its kind. */
      execution?: { context: Context; kind: OperationTypeNode };
      operation: string;
      started: bigint;
    };
  }
}

const NAMED_OPERATION = /^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/;

/** The operation name the client sent, or the name of a document's first operation. */
function operationNameOf(request: FastifyRequest): unknown {
  const body = request.body as { operationName?: unknown; query?: unknown } | undefined;
  const params = request.query as { operationName?: unknown; query?: unknown } | undefined;
  const given = body?.operationName ?? params?.operationName;
  if (given) return given;
  const document = body?.query ?? params?.query;
  return typeof document === 'string' ? NAMED_OPERATION.exec(document)?.[1] : undefined;
}

/** The gateway as a Fastify app: GraphQL on the configured engine, health, readiness, metrics, GraphiQL. */
export async function buildApp({
  config,
  dataSource,
  log,
  onRequestStats,
  sms,
  operations,
  reports,
  bulk,
  approvals,
  schema: schemaOverride,
  credentialRecheckMs,
  sessionCache: givenSessionCache,
}: AppOptions): Promise<FastifyInstance> {
  const { trustedProxies } = config;
  const trustsProxy = trustedProxies.length > 0 ? proxyAddr.compile([...trustedProxies]) : () => false;
  const app = Fastify({
    // Fastify's own request serializer, with link tokens left out of the URL on every line that shows the request.
    loggerInstance: log.child(
      {},
      {
        serializers: {
          req: (request: FastifyRequest) => ({
            method: request.method,
            url: redactUrl(request.url),
            host: request.host,
            remoteAddress: request.ip,
            remotePort: request.socket?.remotePort,
          }),
        },
      },
    ),
    logController: new RedactingLogController(),
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // A client that sends its headers and then trickles the body is cut off (408) instead of holding a socket. Node's
    // server checks for such clients only when it is created with the timeout (set afterwards, as Fastify's own
    // option does, it never cuts one off), and by default every 30 s: once a second here.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    http: { requestTimeout: config.requestTimeoutSeconds * 1000, connectionsCheckingInterval: 1000 },
    return503OnClosing: true,
    trustProxy: trustedProxies.length > 0 ? [...trustedProxies] : false,
  });
  const { billingDelayMs } = config;
  const metrics = new Metrics(config.engine, dataSource, () => numbersStuckInProcess(dataSource, billingDelayMs, 1));
  const schema = schemaOverride ?? buildGatewaySchema();
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('buildApp needs a DataSource made from a connection URL: events listen on a connection of their own');
  // LISTEN holds a session: a transaction pooler in DATABASE_URL would drop it silently.
  const pubsub = await PgPubSub.start(config.databaseDirectUrl ?? url, dataSource, log);
  app.addHook('onClose', () => pubsub.close());
  const socketLeases = new SocketLeases(dataSource, log);
  await socketLeases.start();
  app.addHook('onClose', () => socketLeases.stop());
  const standby = config.databaseReadUrl
    ? await Standby.start({
        primaryUrl: url,
        standbyUrl: config.databaseReadUrl,
        poolSize: config.databaseReadPoolSize,
        maxLagSeconds: config.databaseReadMaxLagSeconds,
        preparedStatements: config.databasePreparedStatements,
        log,
      })
    : undefined;
  if (standby) {
    app.addHook('onClose', () => standby.close());
    metrics.watchStandby(() => standby.status());
  }
  // Sessions answer from memory between lookups, kept true by the events that end or change them; with a standby
  // each request reads its session's write position from the row.
  const sessionCache = standby ? undefined : (givenSessionCache ?? new SessionCache());
  if (sessionCache) {
    const stop = followSessionEvents(pubsub, sessionCache);
    app.addHook('onClose', async () => stop());
  }
  /** Each GraphQL request's own record by its exchange, which a copy of the request's context shares. */
  const requests = slot<HttpExchange, NonNullable<FastifyRequest['cabinet']>>('request');
  const startOperation = (context: Context, kind: OperationTypeNode) => {
    const cabinet = requests.get(context.http);
    if (cabinet) cabinet.execution = { context, kind };
    // Queries read from the standby unless it lags, is down, or has not replayed the caller's own last change;
    // mutations, subscriptions, the session lookup and the guard's charge of a key stay on the primary.
    if (kind === 'query' && standby?.serves(context.principal)) context.readFrom(standby);
  };

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (standby) {
    // Before the answer leaves: the caller's next request, on any process, finds the position on its row. Every
    // mutation that ran counts as a change (a refused one may have written its FAILURE to the actions history, and
    // job queues write on connections of their own).
    app.addHook('onSend', async (request) => {
      const execution = request.cabinet?.execution;
      if (execution?.kind !== 'mutation') return;
      try {
        // The executing context's principal: a sign-in's is the session it started.
        await recordWritePosition(execution.context.db.primary, execution.context.principal);
      } catch (error) {
        request.log.warn({ err: error }, 'could not record the write position: the next queries may read from a standby without this change');
      }
    });
  }
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url !== '/graphql') return;
    const operation = metrics.operationLabel(operationNameOf(request));
    request.cabinet = { operation, started: process.hrtime.bigint() };
    request.log = request.log.child({ operationName: operation });
  });
  app.addHook('onResponse', async (request) => {
    const cabinet = request.cabinet;
    if (!cabinet) return;
    const stats: RequestStats = {
      operation: cabinet.operation,
      sqlStatements: cabinet.context?.db.statements ?? 0,
      seconds: Number(process.hrtime.bigint() - cabinet.started) / 1e9,
    };
    metrics.observeRequest(stats.operation, stats.seconds, stats.sqlStatements);
    if (cabinet.execution?.kind === 'query') {
      stats.database = cabinet.execution.context.db.readsFrom;
      metrics.countQuery(stats.database);
    }
    onRequestStats?.(stats);
  });

  const ports = {
    sms: sms ?? createSmsSender({ smppUrl: config.smppUrl }, dataSource, log),
    operations: operations ?? NO_OPERATIONS,
    reports: reports ?? NO_REPORTS,
    bulk: bulk ?? NO_BULK,
    approvals: approvals ?? NO_APPROVALS,
    events: pubsub,
    sessionCache,
    webhooks: { allowLoopback: config.webhookAllowLoopback, allowedNetworks: config.webhookAllowedNetworks },
  };
  const signIn = async (context: Context): Promise<Context> => {
    const principal = await authenticate(context);
    if (principal) {
      context.principal = principal;
      if (principal.kind === 'administrator') context.language = principal.language;
    }
    return context;
  };
  const createContext = async (request: FastifyRequest, reply: FastifyReply): Promise<Context> => {
    const context = new Context(dataSource, request.log, languageFrom(request.headers['accept-language']), request.id, httpExchange(request, reply), ports);
    if (request.cabinet) {
      request.cabinet.context = context;
      requests.set(context.http, request.cabinet);
    }
    return signIn(context);
  };
  const createSocketContext = (upgrade: SocketUpgrade, connectionParams: Record<string, unknown> | undefined): Promise<Context> => {
    const socketId = randomUUID();
    const acceptLanguage = upgrade.headers['accept-language'];
    const language = languageFrom(Array.isArray(acceptLanguage) ? acceptLanguage[0] : acceptLanguage);
    return signIn(
      new Context(dataSource, log.child({ socketId }), language, socketId, socketExchange(socketClient(upgrade, trustsProxy), connectionParams), ports),
    );
  };
  const forkContext = (socket: Context): Context => {
    const context = new Context(dataSource, socket.log, socket.language, socket.requestId, socket.http, ports);
    context.principal = socket.principal;
    return context;
  };
  registerCsrfProtection(app);
  const documents = new DocumentPolicy(new TrustedDocuments(dataSource), config.trustedDocuments);
  registerGraphqlRequestChecks(app, metrics, documents);
  registerDownloads(app, { createContext });
  registerUploads(app, { createContext });
  await engines[config.engine](app, {
    schema,
    createContext,
    createSocketContext,
    startOperation,
    forkContext,
    pubsub,
    socketLeases,
    documents,
    clientAddress: (upgrade) => socketClient(upgrade, trustsProxy).ip,
    metrics,
    log,
    credentialRecheckMs,
    allowedOrigins: config.allowedOrigins,
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await dataSource.query('SELECT 1');
      if (!(await migrationsApplied(dataSource))) return reply.code(503).send({ status: 'migrations pending' });
      // A number left In process is a data fault to look into, not a reason to stop serving.
      const stuck = await numbersStuckInProcess(dataSource, billingDelayMs);
      return stuck.count > 0 ? { status: 'ready', details: { numbersStuckInProcess: stuck } } : { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (request, reply) => {
    if (!metricsAllowed(request, config.metricsToken)) return reply.code(404).send({ error: 'not found' });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  registerGraphiql(app);
  registerOutboxPage(app, {
    dataSource,
    smsKept: !config.smppUrl,
    mailDir: !config.smtpUrl && config.dataDir ? mailOutboxDir(config.dataDir) : undefined,
  });
  await registerReleases(app, { dataSource, log, deployToken: config.deployToken, frontendOverrides: config.frontendOverrides, sessionCache });
  return app;
}
