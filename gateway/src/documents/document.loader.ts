import { currentMonth } from '@cabinet/schema/rules';
import DataLoader from 'dataloader';
import { chargeMonthsByAccount, chargeMonthsByCompany } from '../billing/billing.charges';
import type { RequestDb } from '../graphql/context';

/** Per account, the ended months with charges (newest first), one statement per batch. */
export const actMonthsByAccount = (db: RequestDb) =>
  new DataLoader<number, string[]>(async (ids) => {
    const months = await chargeMonthsByAccount(db, ids, currentMonth());
    return ids.map((id) => months.get(id) ?? []);
  });

/** Per company, the ended months with charges on any of its accounts (newest first). */
export const invoiceMonthsByCompany = (db: RequestDb) =>
  new DataLoader<number, string[]>(async (ids) => {
    const months = await chargeMonthsByCompany(db, ids, currentMonth());
    return ids.map((id) => months.get(id) ?? []);
  });
