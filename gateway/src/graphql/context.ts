import { DataSource, type QueryRunner } from 'typeorm';
import { ANONYMOUS, type Principal } from '../auth/principal';
import type { SmsSender } from '../delivery/sms';
import type { CabinetEvent } from './pubsub';
import type { ReportQueue } from '../documents/report.queue';
import type { OperationQueue } from '../operations/operation.queue';
import type { Logger } from '../logger';

export type Language = 'en' | 'ru' | 'kk';
export const LANGUAGES: Language[] = ['en', 'ru', 'kk'];

/**
 * Every SQL statement of one request goes through here, so it can be counted. Rows come back for every
 * statement, UPDATE … RETURNING included (TypeORM's plain `query` returns `[rows, count]` for those).
 */
export class RequestDb {
  constructor(
    private readonly source: DataSource | QueryRunner,
    private readonly counter = { statements: 0 },
  ) {}

  get statements(): number {
    return this.counter.statements;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.counter.statements += 1;
    if (!(this.source instanceof DataSource)) return (await this.source.query(sql, params, true)).records as T[];
    const runner = this.source.createQueryRunner();
    try {
      return (await runner.query(sql, params, true)).records as T[];
    } finally {
      await runner.release();
    }
  }

  /** The same counter over a transaction's query runner. */
  on(runner: QueryRunner): RequestDb {
    return new RequestDb(runner, this.counter);
  }
}

/** What a resolver may see of and do to the HTTP exchange (never the raw request). */
export interface HttpExchange {
  readonly clientAddress: string;
  readonly userAgent: string | undefined;
  /** Cookies get the Secure attribute everywhere but on localhost over plain HTTP. */
  readonly secureCookies: boolean;
  cookie(name: string): string | undefined;
  header(name: string): string | undefined;
  setCookie(name: string, value: string, maxAgeSeconds: number): void;
  clearCookie(name: string): void;
}

/** Events to subscribers on every gateway process: written to the event log in the caller's transaction, delivered after commit. */
export interface EventPublisher {
  publish(db: RequestDb, event: { topic: string; companyId: number | null; payload: Record<string, unknown> }): Promise<unknown>;
  /** A company's events of some topics: those after `after` (a position in its log) first, then each as it commits. */
  subscribe(options: { companyId: number; topics: readonly string[]; after?: number }): Promise<AsyncIterableIterator<CabinetEvent>>;
}

/** The ports the services use to reach the outside world. */
export interface Ports {
  sms: SmsSender;
  operations: OperationQueue;
  reports: ReportQueue;
  events?: EventPublisher;
}

/** A context's loaders by factory. Factories see only the database, never the principal, so their rows are the same for everyone. */
export type LoaderCache = Map<(db: RequestDb) => unknown, unknown>;

/** The per-request state resolvers see: principal, database, loaders (built lazily, per request; see `shareLoaders`), language, log. */
export class Context {
  db: RequestDb;
  principal: Principal = ANONYMOUS;
  /** Set for partner keys by the pre-execution guard; reported in `extensions.cost`. */
  cost: { requested: number; remaining: number; limit: number } | undefined;
  private loaders: LoaderCache = new Map();

  constructor(
    private readonly dataSource: DataSource,
    readonly log: Logger,
    public language: Language,
    readonly requestId: string,
    readonly http: HttpExchange,
    readonly ports: Ports,
  ) {
    this.db = new RequestDb(dataSource);
  }

  /**
   * Runs `fn` with `ctx.db` inside one transaction: all of it is written or none. Only for mutation
   * resolvers, which GraphQL runs one at a time, so no other resolver sees the swapped `db`.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.db;
    try {
      return await this.dataSource.transaction(async (manager) => {
        this.db = outer.on(manager.queryRunner!);
        return fn();
      });
    } finally {
      this.db = outer;
    }
  }

  /**
   * Takes its loaders from `loaders`, shared with other contexts: for the executions of one event for its many
   * subscribers, which then read a row once, not once each. Access checks stay per context: services make them on
   * what loaders return.
   */
  shareLoaders(loaders: LoaderCache): this {
    this.loaders = loaders;
    return this;
  }

  /** The request's instance of a loader; the factory is its identity. */
  loader<T>(factory: (db: RequestDb) => T): T {
    let instance = this.loaders.get(factory) as T | undefined;
    if (instance === undefined) {
      instance = factory(this.db);
      this.loaders.set(factory, instance);
    }
    return instance;
  }
}

/** Picks en, ru or kk from an Accept-Language header; English when none matches. */
export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { tag: tag.toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((entry) => (LANGUAGES as string[]).includes(entry.tag))?.tag as Language | undefined ?? 'en';
}
