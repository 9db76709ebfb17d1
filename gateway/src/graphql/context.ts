import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';

export type Language = 'en' | 'ru' | 'kk';
export const LANGUAGES: Language[] = ['en', 'ru', 'kk'];

/** Every SQL statement of one request goes through here, so it can be counted. */
export class RequestDb {
  statements = 0;
  constructor(private readonly dataSource: DataSource) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.statements += 1;
    return (await this.dataSource.query(sql, params)) as T[];
  }
}

/** The per-request state resolvers see: database, loaders (built lazily, never shared), language, log. */
export class Context {
  readonly db: RequestDb;
  private readonly loaders = new Map<(db: RequestDb) => unknown, unknown>();

  constructor(
    dataSource: DataSource,
    readonly log: Logger,
    readonly language: Language,
    readonly requestId: string = randomUUID(),
  ) {
    this.db = new RequestDb(dataSource);
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
