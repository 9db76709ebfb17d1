import { billing } from '../billing';
import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';

export const companyById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.companies(db, ids));
export const branchesByParent = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.branches(db, ids));
