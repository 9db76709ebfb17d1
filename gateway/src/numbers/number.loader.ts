import { billing, numberPartLoader } from '../billing';
import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';

export const numberById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.numbers(db, ids));
export const numberWithAccountById = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.numbersWithAccounts(db, ids));
export const simCardByNumber = numberPartLoader('simCards');
export const simCodesByNumber = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.simCodes(db, ids));
export const registeredDevicesByNumber = numberPartLoader('devices');
export const callForwardingsByNumber = numberPartLoader('forwardings');
