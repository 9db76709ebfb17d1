import { billing } from '../billing';
import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';

export const numberById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.numbers(db, ids));
export const numberWithAccountById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.numbersWithAccounts(db, ids));
export const simCardByNumber = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.simCards(db, ids));
export const simCodesByNumber = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.simCodes(db, ids));
export const registeredDevicesByNumber = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.devices(db, ids));
export const callForwardingsByNumber = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.forwardings(db, ids));
