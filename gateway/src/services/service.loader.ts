import { billing } from '../billing';
import type { RequestDb } from '../core/db';
import { batchLoader } from '../core/loaders';

export const connectedServicesByNumber = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.connectedServices(db, ids));
export const servicesByTariff = (db: RequestDb) => batchLoader((ids: readonly number[]) => billing.tariffServices(db, ids));
export const serviceByCode = (db: RequestDb) => batchLoader((codes: readonly string[]) => billing.servicesByCode(db, codes));
