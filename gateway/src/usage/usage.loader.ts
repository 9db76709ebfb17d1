import { billing, type UsagePageArgs } from '../billing';
import type { RequestDb } from '../core/db';
import { pagedLoader } from '../core/loaders';
import type { Period } from '../core/period';

export const usageByNumber = (db: RequestDb) => pagedLoader((numberIds, page: UsagePageArgs) => billing.usage(db, numberIds, page));

export const usageTotalsByNumber = (db: RequestDb) => pagedLoader((numberIds, period: Period) => billing.usageTotals(db, numberIds, period));
