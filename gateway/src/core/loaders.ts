import DataLoader from 'dataloader';
import type { RequestDb } from './db';

/**
 * One row per key: `sql` selects rows with `<column> = ANY($1)` and returns `key` in each row.
 * One statement per batch; results in key order, null for missing.
 */
export function rowLoader<K extends number | string, R extends Record<string, unknown>>(
  db: RequestDb,
  sql: string,
  key: keyof R & string,
): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => {
    const rows = await db.query<R>(sql, [keys]);
    const byKey = new Map(rows.map((row) => [String(row[key]), row]));
    return keys.map((k) => byKey.get(String(k)) ?? null);
  });
}

/** Many rows per key, in the order the SQL returns them. */
export function groupLoader<K extends number | string, R extends Record<string, unknown>>(
  db: RequestDb,
  sql: string,
  key: keyof R & string,
): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const rows = await db.query<R>(sql, [keys]);
    const byKey = new Map<string, R[]>();
    for (const row of rows) {
      const k = String(row[key]);
      const list = byKey.get(k);
      if (list) list.push(row);
      else byKey.set(k, [row]);
    }
    return keys.map((k) => byKey.get(String(k)) ?? []);
  });
}

/**
 * A DataLoader that also answers at once, without a promise, for a key it was primed with. A list that reads its
 * rows' accounts and tariffs in its own statement primes their loaders, and each row's field then resolves to its
 * value directly: a promise, an async frame and the engine's continuation per field and row are what a page of 50
 * spent most on.
 */
export class PrimedLoader<K, V> extends DataLoader<K, V> {
  private readonly known = new Map<K, V>();

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!(value instanceof Error) && !isPromiseLike(value) && !this.known.has(key)) this.known.set(key, value);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.known.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.known.clear();
    return super.clearAll();
  }

  /** The value for `key`: the primed one at once, else a promise as `load` gives it. */
  get(key: K): V | Promise<V> {
    return this.known.has(key) ? (this.known.get(key) as V) : this.load(key);
  }
}

function isPromiseLike<V>(value: V | PromiseLike<V>): value is PromiseLike<V> {
  return typeof (value as PromiseLike<V> | null)?.then === 'function';
}

/** `map` of a value that may be known already or still on its way: synchronous when it is known. */
export function whenKnown<V, R>(value: V | Promise<V>, map: (value: V) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(map) : map(value);
}

/** A loader whose every batch is one call of `load`, which answers in key order (as the billing port does). */
export function batchLoader<K, V>(load: (keys: readonly K[]) => Promise<V[]>): PrimedLoader<K, V> {
  return new PrimedLoader<K, V>((keys) => load(keys));
}

/**
 * Loads per-parent pages where the keys also carry the page arguments. Keys with equal arguments
 * are batched into one call; `load(parentIds, args)` answers per parent, in the order of `parentIds`.
 */
export function pagedLoader<A, V>(load: (parentIds: number[], args: A) => Promise<V[]>): DataLoader<{ parentId: number; args: A }, V, string> {
  return new DataLoader<{ parentId: number; args: A }, V, string>(
    async (keys) => {
      const groups = new Map<string, { args: A; ids: number[] }>();
      for (const { parentId, args } of keys) {
        const signature = JSON.stringify(args);
        const group = groups.get(signature) ?? { args, ids: [] };
        group.ids.push(parentId);
        groups.set(signature, group);
      }
      const results = new Map<string, V>();
      for (const [signature, group] of groups) {
        const values = await load(group.ids, group.args);
        group.ids.forEach((id, i) => results.set(`${id}|${signature}`, values[i]));
      }
      return keys.map(({ parentId, args }) => results.get(`${parentId}|${JSON.stringify(args)}`) as V);
    },
    { cacheKeyFn: ({ parentId, args }) => `${parentId}|${JSON.stringify(args)}` },
  );
}
