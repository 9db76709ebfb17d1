import type { DataSource } from 'typeorm';
import { RequestDb, type StandbyReads } from './db';
import type { Language } from './language';
import type { Logger } from './logger';
import { ANONYMOUS, type Principal } from './principal';

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

/**
 * The ports the services use to reach the outside world. The kernel names none of them: the module that
 * provides one adds its member (`declare module '../core/context' { interface Ports { sms: SmsSender } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Ports {}

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
   * Sends the request's reads to a standby, `ctx.db.primary` staying the way to the primary. Only for a query, before
   * its execution starts: loaders made earlier would keep reading from the primary.
   */
  readFrom(standby: StandbyReads): void {
    this.db = this.db.readingFrom(standby);
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
