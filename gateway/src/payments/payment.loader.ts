import type { RequestDb } from '../graphql/context';
import { pagedLoader } from '../graphql/loaders';
import type { Period } from '../graphql/period';
import type { PaymentRow } from './payment.type';

export interface PaymentPageArgs extends Period {
  limit: number;
  after: [string, string] | null;
}

/** Per-number pages of payments, newest first, for every number of the batch in one statement. */
export const paymentsByNumber = (db: RequestDb) =>
  pagedLoader<PaymentPageArgs, PaymentRow>(
    (numberIds, a) =>
      db.query<PaymentRow>(
        `SELECT * FROM (
           SELECT id::text, number_id AS "numberId", paid_at AS "paidAt", type, comment, amount::text,
             balance_before::text AS "balanceBefore", balance_after::text AS "balanceAfter",
             row_number() OVER (PARTITION BY number_id ORDER BY paid_at DESC, id DESC) AS rn
           FROM billing.payments
           WHERE number_id = ANY($1)
             AND paid_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'
             AND paid_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Almaty'
             AND ($5::timestamptz IS NULL OR (paid_at, id) < ($5::timestamptz, $6::bigint))
         ) p WHERE rn <= $4 ORDER BY "numberId", "paidAt" DESC, id DESC`,
        [numberIds, a.from, a.to, a.limit, a.after?.[0] ?? null, a.after?.[1] ?? null],
      ),
    'numberId',
  );
