import type { BillingSession } from './billing.port';

let cursors = 0;

/**
 * The rows of `sql` through a server-side cursor, `batch` at a time, so a large result is never held whole.
 * `db` must be inside a transaction, which the cursor lives in.
 */
export async function* cursorRows<R>(db: BillingSession, sql: string, params: unknown[], batch = 2000): AsyncGenerator<R> {
  const name = `cabinet_cursor_${++cursors}`;
  await db.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
  try {
    for (;;) {
      const rows = await db.query<R>(`FETCH FORWARD ${batch} FROM ${name}`);
      yield* rows;
      if (rows.length < batch) return;
    }
  } finally {
    await db.query(`CLOSE ${name}`).catch(() => undefined);
  }
}
