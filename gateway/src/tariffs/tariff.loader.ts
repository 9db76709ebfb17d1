import { billing } from '../billing';
import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';

export const allowancesByNumber = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.allowances(db, ids));
