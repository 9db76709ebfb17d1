import type { RequestDb } from '../core/db';
import { batchLoader, type PrimedLoader } from '../core/loaders';
import { slot } from '../core/slot';
import { billing } from './billing.adapter';
import type { NumberPart, NumberParts, NumberPartsRequest } from './billing.port';

// Loaders of the billing rows that more than one domain loads: one domain's read can then answer another's (a
// page of numbers reads their accounts and tariffs with it, and the account and tariff fields find them loaded).
export const accountById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.accounts(db, ids));
export const tariffById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.tariffs(db, ids));

interface PendingPart {
  request: NumberPartsRequest;
  resolve: (rows: NumberParts[NumberPart][]) => void;
  reject: (error: unknown) => void;
}

/**
 * The parts of numbers asked for by one request's loaders in the same turn, read together: a profile's fields call
 * six loaders side by side, each dispatching its batch in the same round of `process.nextTick` callbacks, and the
 * first to arrive schedules the read after the others. One part alone is read by its own method.
 */
class NumberPartsBatch {
  private pending: PendingPart[] = [];

  constructor(private readonly db: RequestDb) {}

  read<P extends NumberPart>(part: P, keys: readonly number[]): Promise<NumberParts[P][]> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) process.nextTick(() => this.flush());
      this.pending.push({ request: { part, keys } as NumberPartsRequest, resolve: resolve as PendingPart['resolve'], reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    const answers: Promise<NumberParts[NumberPart][][]> =
      batch.length === 1
        ? (billing[batch[0].request.part](this.db, batch[0].request.keys) as Promise<NumberParts[NumberPart][]>).then((rows) => [rows])
        : billing.numberParts(
            this.db,
            batch.map((p) => p.request),
          );
    answers.then(
      (rows) => batch.forEach((p, i) => p.resolve(rows[i])),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
  }
}

/** One batch per request's database handle. */
const batches = slot<RequestDb, NumberPartsBatch>('number parts batch');

/** A loader of one part of numbers (or, for `tariffServices`, of tariffs), read with the others its request asks for at once. */
export function numberPartLoader<P extends NumberPart>(part: P): (db: RequestDb) => PrimedLoader<number, NumberParts[P]> {
  return (db) =>
    batchLoader((keys: readonly number[]) => {
      let batch = batches.get(db);
      if (!batch) batches.set(db, (batch = new NumberPartsBatch(db)));
      return batch.read(part, keys);
    });
}
