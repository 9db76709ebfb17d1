import type { RequestDb } from '../graphql/context';
import { pagedLoader } from '../graphql/loaders';
import type { Period } from '../graphql/period';
import { PAYMENT_FACT_COLUMNS, PAYMENT_FACT_JOINS } from './payment.text';
import type { PaymentRow } from './payment.type';

export interface PaymentPageArgs extends Period {
  limit: number;
  after: [string, string] | null;
}

export const PAYMENT_COLUMNS = `p.id::text, p.number_id AS "numberId", p.account_id AS "accountId", a.account_no AS "accountNo", p.paid_at AS "paidAt",
  p.type, p.amount::text, p.balance_before::text AS "balanceBefore", p.balance_after::text AS "balanceAfter", ${PAYMENT_FACT_COLUMNS}`;

const IN_PERIOD = `p.paid_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'
  AND p.paid_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Almaty'
  AND ($5::timestamptz IS NULL OR (p.paid_at, p.id) < ($5::timestamptz, $6::bigint))`;

/** Per-number pages of payments, newest first, for every number of the batch in one statement. */
export const paymentsByNumber = (db: RequestDb) =>
  pagedLoader<PaymentPageArgs, PaymentRow>(
    (numberIds, a) =>
      db.query<PaymentRow>(
        `SELECT * FROM (
           SELECT ${PAYMENT_COLUMNS}, row_number() OVER (PARTITION BY p.number_id ORDER BY p.paid_at DESC, p.id DESC) AS rn
           FROM billing.payments p JOIN billing.accounts a ON a.id = p.account_id ${PAYMENT_FACT_JOINS}
           WHERE p.number_id = ANY($1) AND a.payment_method = 'ADVANCE' AND ${IN_PERIOD}
         ) p WHERE rn <= $4 ORDER BY "numberId", "paidAt" DESC, id DESC`,
        [numberIds, a.from, a.to, a.limit, a.after?.[0] ?? null, a.after?.[1] ?? null],
      ),
    'numberId',
  );

export interface CreditPaymentPageArgs extends PaymentPageArgs {
  accountId: number | null;
}

/** Per-company pages of the payments of its Credit (postpaid) accounts, newest first. */
export const creditPaymentsByCompany = (db: RequestDb) =>
  pagedLoader<CreditPaymentPageArgs, PaymentRow & { companyId: number }>(
    (companyIds, a) =>
      db.query<PaymentRow & { companyId: number }>(
        `SELECT * FROM (
           SELECT ${PAYMENT_COLUMNS}, a.company_id AS "companyId",
             row_number() OVER (PARTITION BY a.company_id ORDER BY p.paid_at DESC, p.id DESC) AS rn
           FROM billing.accounts a JOIN billing.payments p ON p.account_id = a.id ${PAYMENT_FACT_JOINS}
           WHERE a.company_id = ANY($1) AND a.payment_method = 'CREDIT' AND ($7::int IS NULL OR a.id = $7) AND ${IN_PERIOD}
         ) p WHERE rn <= $4 ORDER BY "companyId", "paidAt" DESC, id DESC`,
        [companyIds, a.from, a.to, a.limit, a.after?.[0] ?? null, a.after?.[1] ?? null, a.accountId],
      ),
    'companyId',
  );
