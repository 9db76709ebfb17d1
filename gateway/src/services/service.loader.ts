import { billing, numberPartLoader } from '../billing';
import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';

export const connectedServicesByNumber = numberPartLoader('connectedServices');
export const servicesByTariff = numberPartLoader('tariffServices');
export const serviceByCode = (db: RequestDb) => batchLoader((codes: readonly string[]) => billing.servicesByCode(db, codes));
