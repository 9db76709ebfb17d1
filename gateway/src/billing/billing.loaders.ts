import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';
import { billing } from './billing.adapter';

// Loaders of the billing rows that more than one domain loads: one domain's read can then answer another's (a
// page of numbers reads their accounts and tariffs with it, and the account and tariff fields find them loaded).
export const accountById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.accounts(db, ids));
export const tariffById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.tariffs(db, ids));
