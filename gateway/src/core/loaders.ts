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

/** A loader whose every batch is one call of `load`, which answers in key order (as the billing port does). */
export function batchLoader<K, V>(load: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>((keys) => load(keys));
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
