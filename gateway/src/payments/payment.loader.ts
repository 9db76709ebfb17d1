import { billing, type CreditPaymentPageArgs, type PaymentPageArgs } from '../billing';
import type { RequestDb } from '../core/db';
import { pagedLoader } from '../core/loaders';

/** Per-number pages of payments, newest first, for every number of the batch in one call. */
export const paymentsByNumber = (db: RequestDb) => pagedLoader((numberIds, page: PaymentPageArgs) => billing.payments(db, numberIds, page));

/** Per-company pages of the payments of its Credit (postpaid) accounts, newest first. */
export const creditPaymentsByCompany = (db: RequestDb) =>
  pagedLoader((companyIds, page: CreditPaymentPageArgs) => billing.creditPayments(db, companyIds, page));
