import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { isEmailAddress } from '@cabinet/schema/rules';
import { isNetworkEntry } from './webhooks/webhook.address';
import { WEBHOOK_DEFAULTS } from './webhooks/webhook.jobs';

/** How long the billing simulator takes by default (the real system: 1–2 minutes). */
export const DEFAULT_BILLING_DELAY_MS = 3000;

export type GatewayEngine = 'mercurius' | 'apollo';
import type { LogLevel } from './core/logger';

export type { LogLevel };

/** Everything the gateway reads from its environment, parsed once. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** External PostgreSQL; when absent an embedded server runs under `dataDir`. */
  readonly databaseUrl: string | undefined;
  /**
   * A connection that keeps its session (PostgreSQL itself, or a pooler database in session mode) for what a
   * transaction pooler cannot carry: the LISTEN of events and the migrations' advisory lock. Unset: DATABASE_URL.
   */
  readonly databaseDirectUrl: string | undefined;
  /**
   * A streaming-replication standby of the DATABASE_URL server: GraphQL queries read from it, but for callers whose
   * own last change it has not replayed yet, and while it is unreachable or too far behind. Unset: everything on DATABASE_URL.
   */
  readonly databaseReadUrl: string | undefined;
  /** Connections in the standby's pool; DATABASE_POOL_SIZE unless set. */
  readonly databaseReadPoolSize: number;
  /** Seconds the standby may be behind the primary and still serve reads. */
  readonly databaseReadMaxLagSeconds: number;
  /**
   * Whether connections prepare each statement once and run it by name after (see `prepareStatementsOn`): not
   * through a pooler in transaction mode, which DATABASE_DIRECT_URL says DATABASE_URL is. The standby's pool follows it.
   */
  readonly databasePreparedStatements: boolean;
  readonly dataDir: string;
  readonly engine: GatewayEngine;
  readonly logLevel: LogLevel;
  readonly databasePoolSize: number;
  /** Seconds a SIGTERM/SIGINT waits for in-flight requests before closing anyway. */
  readonly shutdownGraceSeconds: number;
  readonly seedDemo: boolean;
  /** An operator's SMSC (smpp://system_id:password@host:port?source=…); unset: SMS go to the outbox table and the log. */
  readonly smppUrl: string | undefined;
  /** How long the shipped billing simulator takes to finish an operation (the real system: 1–2 minutes). */
  readonly billingDelayMs: number;
  /** How long a worker may hold an operation before another takes it over (a killed worker's operations come back then). */
  readonly operationExpireSeconds: number;
  /** Items of fleet operations handed to the billing system per second, by all workers together (BILLING_MAX_RATE). */
  readonly billingMaxRate: number;
  /** Items of fleet operations in process at once, over all workers (BILLING_CONCURRENCY). */
  readonly billingConcurrency: number;
  /** Work the operations queue in this process too (`npm run worker` runs a worker alone). */
  readonly runWorker: boolean;
  /**
   * Browser sessions (and anonymous callers) may send only the portal's own documents, by hash, as published with the
   * sections' releases; partner keys keep free queries.
   */
  readonly trustedDocuments: boolean;
  /** SMTP server for e-mailed reports (smtp://user:pass@host:587 or smtps://…); unset: `.eml` files in `<dataDir>/outbox`. */
  readonly smtpUrl: string | undefined;
  /** Sender of e-mailed reports, `Name <address>` or an address. */
  readonly mailFrom: string;
  /** Bearer token of the front-end deploy endpoint (`POST /releases`); unset, deploys over HTTP are refused. */
  readonly deployToken: string | undefined;
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses, CIDRs, or `loopback`, `linklocal`, `uniquelocal`);
   * the client address of limits, the actions history and sessions is the first address not among them. Empty: the socket's peer.
   */
  readonly trustedProxies: readonly string[];
  /** Bearer token for `GET /metrics`; unset, /metrics answers only callers on this machine (loopback). */
  readonly metricsToken: string | undefined;
  /** Origins whose pages may open a cookie-authenticated WebSocket; empty: only the portal's own (the Host the socket was opened on). */
  readonly allowedOrigins: readonly string[];
  /**
   * Origins of front-end dev servers a signed-in administrator may point sections at with import-map overrides
   * (CSP source expressions: `https://dev.example.kz:5173`, or `http://localhost:*` and `http://127.0.0.1:*` for the
   * value `localhost`). Empty: overrides are off and the page carries none of their machinery.
   */
  readonly frontendOverrides: readonly string[];
  /** Seconds a client has to send a whole request, headers and body (slow clients are cut off). */
  readonly requestTimeoutSeconds: number;
  /** Days the event log keeps events: how long a disconnected client or partner may resume from its cursor. */
  readonly eventRetentionDays: number;
  /** Webhooks may go to loopback addresses (a receiver on this machine, plain http included): for local testing only. */
  readonly webhookAllowLoopback: boolean;
  /** Addresses and CIDRs webhooks may go to although private, link-local, CGNAT or unique-local. */
  readonly webhookAllowedNetworks: readonly string[];
  /** Milliseconds a webhook receiver has to answer, connection included. */
  readonly webhookTimeoutMs: number;
  /** Bytes of a receiver's answer that are read and kept in the delivery log. */
  readonly webhookResponseBytes: number;
  /** Milliseconds before a failed delivery's first retry; each next one waits twice as long. */
  readonly webhookRetryBaseMs: number;
  /** Hours a delivery is retried before it is given up (FAILED). */
  readonly webhookRetryHours: number;
  /** Failed attempts in a row after which an endpoint is disabled and its company's administrators are e-mailed… */
  readonly webhookDisableAfterFailures: number;
  /** …provided the run of failures has lasted this many minutes: a receiver's short restart under a burst disables nothing. */
  readonly webhookDisableAfterMinutes: number;
  /** Milliseconds between a worker's looks for due deliveries. */
  readonly webhookPollMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isTrustedProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Any port of this machine's loopback names: the value `localhost` of FRONTEND_OVERRIDES, for local development only. */
export const LOCALHOST_OVERRIDE_SOURCES = ['http://localhost:*', 'http://127.0.0.1:*'];

/**
 * FRONTEND_OVERRIDES: `off`, `localhost`, or comma-separated origins (scheme, host and port, no path) of the dev
 * servers that import-map overrides may load sections from. Unset: `localhost` for the embedded database (a developer's
 * `npm start`), `off` otherwise, so a deployed portal never allows them unless told to.
 */
function parseFrontendOverrides(raw: string | undefined, embedded: boolean, problems: string[]): string[] {
  const value = (raw ?? '').trim();
  if (value === '') return embedded ? [...LOCALHOST_OVERRIDE_SOURCES] : [];
  if (value === 'off') return [];
  const sources = new Set<string>();
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (entry === 'localhost') {
      for (const source of LOCALHOST_OVERRIDE_SOURCES) sources.add(source);
      continue;
    }
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry) {
      problems.push(`FRONTEND_OVERRIDES must be off, localhost, or comma-separated origins such as http://localhost:5173 (got "${entry}")`);
      continue;
    }
    sources.add(url.origin);
  }
  return [...sources];
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Parses the environment into a frozen config. Every bad variable is reported in one error.
 * Defaults: PORT 4000, HOST 127.0.0.1, DATA_DIR .data (relative to the repository root),
 * DATABASE_URL unset (embedded), DATABASE_DIRECT_URL DATABASE_URL, DATABASE_READ_URL unset, DATABASE_READ_POOL_SIZE DATABASE_POOL_SIZE,
 * DATABASE_READ_MAX_LAG_SECONDS 10, DATABASE_PREPARED_STATEMENTS true (false with DATABASE_DIRECT_URL), GATEWAY_ENGINE mercurius, LOG_LEVEL info, DATABASE_POOL_SIZE 10, SHUTDOWN_GRACE_SECONDS 10, SEED_DEMO true,
 * SMPP_URL unset, BILLING_DELAY_MS 3000, RUN_WORKER true, OPERATION_EXPIRE_SECONDS 300, SMTP_URL unset, MAIL_FROM "Cabinet <no-reply@cabinet.kcell.kz>", DEPLOY_TOKEN unset,
 * TRUSTED_PROXIES empty,
 * METRICS_TOKEN unset, ALLOWED_ORIGINS unset (comma-separated origins), REQUEST_TIMEOUT_SECONDS 30, EVENT_RETENTION_DAYS 30,
 * FRONTEND_OVERRIDES `localhost` with the embedded database (local development), `off` with DATABASE_URL.
 * WEBHOOK_ALLOW_LOOPBACK false, WEBHOOK_ALLOWED_NETWORKS empty, WEBHOOK_TIMEOUT_MS 5000, WEBHOOK_RESPONSE_BYTES 512,
 * WEBHOOK_RETRY_BASE_MS 60000, WEBHOOK_RETRY_HOURS 24, WEBHOOK_DISABLE_AFTER_FAILURES 15, WEBHOOK_POLL_MS 1000.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = resolve(__dirname, '..', '..')): AppConfig {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const boolean = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  const port = integer('PORT', 4000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  if (!/^[\w.:-]+$/.test(host)) problems.push(`HOST must be a host name or address (got "${host}")`);

  const postgresUrl = (name: string): string | undefined => {
    const raw = env[name] || undefined;
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') return raw;
    } catch {
      // reported below
    }
    problems.push(`${name} must be a postgres:// or postgresql:// URL`);
    return undefined;
  };
  const databaseUrl = postgresUrl('DATABASE_URL');
  const databaseDirectUrl = postgresUrl('DATABASE_DIRECT_URL');
  if (databaseDirectUrl !== undefined && !env.DATABASE_URL) problems.push('DATABASE_DIRECT_URL needs DATABASE_URL');
  const databaseReadUrl = postgresUrl('DATABASE_READ_URL');
  if (databaseReadUrl !== undefined && !env.DATABASE_URL) problems.push('DATABASE_READ_URL needs DATABASE_URL');
  if (databaseReadUrl !== undefined && databaseReadUrl === env.DATABASE_URL) {
    problems.push('DATABASE_READ_URL must name a standby of the DATABASE_URL server, not that server itself');
  }
  for (const name of ['DATABASE_READ_POOL_SIZE', 'DATABASE_READ_MAX_LAG_SECONDS']) {
    if (env[name] && !env.DATABASE_READ_URL) problems.push(`${name} needs DATABASE_READ_URL`);
  }
  const databasePoolSize = integer('DATABASE_POOL_SIZE', 10, 1, 200);

  const smppUrl = env.SMPP_URL || undefined;
  if (smppUrl !== undefined && !/^smpp:\/\/[^@/]+@[^/:]+:\d+/.test(smppUrl)) {
    problems.push('SMPP_URL must look like smpp://system_id:password@host:port');
  }

  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^/\s]+/.test(smtpUrl)) problems.push('SMTP_URL must look like smtp://user:password@host:587 or smtps://…');
  const mailFrom = env.MAIL_FROM || 'Cabinet <no-reply@cabinet.kcell.kz>';
  const mailSender = /^[^<>@\r\n]*<([^<>]+)>$/.exec(mailFrom.trim())?.[1] ?? mailFrom.trim();
  if (!isEmailAddress(mailSender)) {
    problems.push(`MAIL_FROM must be an e-mail address, optionally as "Name <address>" (got "${mailFrom}")`);
  }

  const deployToken = env.DEPLOY_TOKEN || undefined;
  if (deployToken !== undefined && !/^[\x21-\x7e]{24,256}$/.test(deployToken)) {
    problems.push('DEPLOY_TOKEN must be 24 to 256 printable characters without spaces (e.g. `openssl rand -hex 32`)');
  }

  const trustedProxies = (env.TRUSTED_PROXIES ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of trustedProxies) {
    if (!isTrustedProxyEntry(entry)) {
      problems.push(`TRUSTED_PROXIES must be a comma-separated list of addresses, CIDRs, loopback, linklocal or uniquelocal (got "${entry}")`);
    }
  }

  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{24,256}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 24 to 256 printable characters without spaces (e.g. `openssl rand -hex 32`)');
  }

  const allowedOrigins = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      problems.push(`ALLOWED_ORIGINS must be origins such as https://cabinet.example.kz, comma-separated (got "${origin}")`);
  }

  const frontendOverrides = parseFrontendOverrides(env.FRONTEND_OVERRIDES, databaseUrl === undefined && !env.DATABASE_URL, problems);
  const webhookAllowedNetworks = (env.WEBHOOK_ALLOWED_NETWORKS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of webhookAllowedNetworks) {
    if (!isNetworkEntry(entry)) problems.push(`WEBHOOK_ALLOWED_NETWORKS must be a comma-separated list of addresses and CIDRs (got "${entry}")`);
  }

  const dataDirRaw = env.DATA_DIR || '.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(root, dataDirRaw);

  const config: AppConfig = {
    port,
    host,
    databaseUrl,
    databaseDirectUrl,
    databaseReadUrl,
    databaseReadPoolSize: integer('DATABASE_READ_POOL_SIZE', databasePoolSize, 1, 200),
    databaseReadMaxLagSeconds: integer('DATABASE_READ_MAX_LAG_SECONDS', 10, 1, 3600),
    databasePreparedStatements: boolean('DATABASE_PREPARED_STATEMENTS', databaseDirectUrl === undefined),
    dataDir,
    engine: oneOf<GatewayEngine>('GATEWAY_ENGINE', ['mercurius', 'apollo'], 'mercurius'),
    logLevel: oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
    databasePoolSize,
    shutdownGraceSeconds: integer('SHUTDOWN_GRACE_SECONDS', 10, 0, 600),
    seedDemo: boolean('SEED_DEMO', true),
    smppUrl,
    billingDelayMs: integer('BILLING_DELAY_MS', DEFAULT_BILLING_DELAY_MS, 0, 600_000),
    runWorker: boolean('RUN_WORKER', true),
    trustedDocuments: boolean('TRUSTED_DOCUMENTS', false),
    operationExpireSeconds: integer('OPERATION_EXPIRE_SECONDS', 300, 10, 86_400),
    billingMaxRate: integer('BILLING_MAX_RATE', 50, 1, 100_000),
    billingConcurrency: integer('BILLING_CONCURRENCY', 20, 1, 10_000),
    smtpUrl,
    mailFrom: mailFrom.trim(),
    deployToken,
    trustedProxies: Object.freeze(trustedProxies),
    metricsToken,
    allowedOrigins: Object.freeze(allowedOrigins),
    frontendOverrides: Object.freeze(frontendOverrides),
    requestTimeoutSeconds: integer('REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
    eventRetentionDays: integer('EVENT_RETENTION_DAYS', 30, 1, 3650),
    webhookAllowLoopback: boolean('WEBHOOK_ALLOW_LOOPBACK', WEBHOOK_DEFAULTS.webhookAllowLoopback),
    webhookAllowedNetworks: Object.freeze(webhookAllowedNetworks),
    webhookTimeoutMs: integer('WEBHOOK_TIMEOUT_MS', WEBHOOK_DEFAULTS.webhookTimeoutMs, 100, 30_000),
    webhookResponseBytes: integer('WEBHOOK_RESPONSE_BYTES', WEBHOOK_DEFAULTS.webhookResponseBytes, 1, 65_536),
    webhookRetryBaseMs: integer('WEBHOOK_RETRY_BASE_MS', WEBHOOK_DEFAULTS.webhookRetryBaseMs, 10, 3_600_000),
    webhookRetryHours: integer('WEBHOOK_RETRY_HOURS', WEBHOOK_DEFAULTS.webhookRetryHours, 1, 168),
    webhookDisableAfterFailures: integer('WEBHOOK_DISABLE_AFTER_FAILURES', WEBHOOK_DEFAULTS.webhookDisableAfterFailures, 1, 1000),
    webhookDisableAfterMinutes: integer('WEBHOOK_DISABLE_AFTER_MINUTES', WEBHOOK_DEFAULTS.webhookDisableAfterMinutes, 0, 10_080),
    webhookPollMs: integer('WEBHOOK_POLL_MS', WEBHOOK_DEFAULTS.webhookPollMs, 10, 60_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** Exit code of an entry point started with a bad configuration (EX_CONFIG of sysexits.h). */
export const CONFIG_EXIT_CODE = 78;

/** Where an entry point reports a bad configuration; the process's stderr and exit by default. */
export interface ConfigExit {
  write(text: string): void;
  exit(code: number): never;
}

const PROCESS_EXIT: ConfigExit = {
  write: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/**
 * The one way every entry point (the gateway, the worker, each CLI) reads its config: the frozen config, or
 * one message naming every bad variable on stderr, without a stack, and exit code 78.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env, io: ConfigExit = PROCESS_EXIT): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.write(`${error.message}\n`);
    return io.exit(CONFIG_EXIT_CODE);
  }
}
