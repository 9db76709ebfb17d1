import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import pretty from 'pino-pretty';

export type Logger = FastifyBaseLogger;

/** Paths whose values never reach the log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'variables.password',
  'variables.*.password',
  'secret',
  '*.secret',
  'code',
  '*.code',
];

/** Where the log goes: standard output unless a test gives another stream. */
export type LogDestination = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * JSON lines, one per entry, for machines and pipes (the smoke and browser tests read them); readable text
 * (pino-pretty) when the destination is a terminal, so that a person running `npm start` reads the log as it comes.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  /** The error's `code` (ECONNREFUSED, 23505…), named apart from `code`, which is redacted everywhere (recovery codes). */
  errorCode?: string | number;
  cause?: unknown;
  errors?: unknown[];
}

/**
 * An error as the log shows it: its kind, message, stack, code, cause and (for an AggregateError) its errors — never
 * the other properties libraries hang on errors, such as the database client pg-boss attaches, with its
 * connection's parameters and cancel key, or a constraint violation's detail holding the row's values.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; cause?: unknown; errors?: unknown };
  const logged: LoggedError = { type: e.constructor?.name ?? e.name, message: e.message, stack: e.stack };
  if (typeof e.code === 'string' || typeof e.code === 'number') logged.errorCode = e.code;
  if (e.cause !== undefined && depth < 5) logged.cause = serializeError(e.cause, depth + 1);
  if (Array.isArray(e.errors) && depth < 5) logged.errors = e.errors.slice(0, 10).map((inner) => serializeError(inner, depth + 1));
  return logged;
}

export function createLogger(level: LogLevel, destination: LogDestination = process.stdout): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, serializers: { err: serializeError, error: serializeError } };
  if (destination.isTTY) {
    return pino(
      options,
      pretty({ destination, sync: true, colorize: destination === process.stdout, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
    );
  }
  return destination === process.stdout ? pino(options) : pino(options, destination);
}

type LogMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type ChildOptions = Parameters<Logger['child']>[1];

/** How severe a level is; `silent` above every method's. */
const severity = (level: string): number => pino.levels.values[level] ?? Number.POSITIVE_INFINITY;

/**
 * A child logger made only when a line is written through it. Every request has one, with its reqId, and every
 * GraphQL request a second, with its operation name; most of them never write a line at the configured level, and
 * making pino's child (its bindings serialized) cost more than the rest of the request's logging. A child of a
 * child made this way is one pino child with both sets of bindings, made when first used.
 */
export class LazyChildLogger implements Logger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
    private readonly options?: ChildOptions,
  ) {}

  private get logger(): Logger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }

  get level(): string {
    return this.made?.level ?? this.options?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  private write(method: LogMethod, args: unknown[]): void {
    if (this.made === undefined && severity(method) < severity(this.level)) return;
    (this.logger[method] as (...line: unknown[]) => void)(...args);
  }

  fatal: Logger['fatal'] = (...args: unknown[]) => this.write('fatal', args);
  error: Logger['error'] = (...args: unknown[]) => this.write('error', args);
  warn: Logger['warn'] = (...args: unknown[]) => this.write('warn', args);
  info: Logger['info'] = (...args: unknown[]) => this.write('info', args);
  debug: Logger['debug'] = (...args: unknown[]) => this.write('debug', args);
  trace: Logger['trace'] = (...args: unknown[]) => this.write('trace', args);
  silent: Logger['silent'] = () => undefined;

  child(bindings: Record<string, unknown>, options?: ChildOptions): Logger {
    if (this.made) return new LazyChildLogger(this.made, bindings, options);
    const serializers = this.options?.serializers || options?.serializers ? { ...this.options?.serializers, ...options?.serializers } : undefined;
    const merged = { ...this.options, ...options, ...(serializers && { serializers }) };
    return new LazyChildLogger(this.parent, { ...this.bindings, ...bindings }, merged);
  }
}
