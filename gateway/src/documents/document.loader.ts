import { currentMonth } from '@cabinet/schema/rules';
import { billing } from '../billing';
import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';

/** Per account, the ended months with charges (newest first), one statement per batch. */
export const actMonthsByAccount = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.chargeMonthsByAccount(db, ids, currentMonth()));

/** Per company, the ended months with charges on any of its accounts (newest first). */
export const invoiceMonthsByCompany = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.chargeMonthsByCompany(db, ids, currentMonth()));
