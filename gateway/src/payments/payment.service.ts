import type { Context } from '../graphql/context';
import { toGlobalId } from '../graphql/ids';
import { checkPageSize, decodeCursor, encodeCursor, toPage, type Page } from '../graphql/paging';
import { resolvePeriod } from '../graphql/period';
import { paymentsByNumber } from './payment.loader';
import type { PaymentRow, PaymentType } from './payment.type';

export interface PaymentQuery {
  from?: string | null;
  to?: string | null;
  first?: number;
  after?: string;
}

const toPayment = (row: PaymentRow): PaymentType => ({
  id: toGlobalId('Payment', row.id),
  paidAt: row.paidAt,
  type: row.type,
  comment: row.comment,
  amount: BigInt(row.amount),
  balanceBefore: BigInt(row.balanceBefore),
  balanceAfter: BigInt(row.balanceAfter),
});

export const paymentService = {
  /** Payment history of one number (Advance numbers), newest first. */
  async ofNumber(ctx: Context, numberId: number, query: PaymentQuery): Promise<Page<PaymentType>> {
    const size = checkPageSize(query.first);
    const period = resolvePeriod(query.from, query.to);
    const after = query.after === undefined ? null : (decodeCursor(query.after, ['string', 'string']) as [string, string]);
    const rows = await ctx.loader(paymentsByNumber).load({ parentId: numberId, args: { ...period, limit: size + 1, after } });
    return toPage(rows, size, after !== null, toPayment, (row) => encodeCursor([new Date(row.paidAt).toISOString(), row.id]));
  },
};
