import { recordView } from '../core/action-recorder';
import { companyService, PaymentMethod, type CompanyType } from '../companies';
import type { Context } from '../core/context';
import type { Language } from '../core/language';
import { BadUserInputError, NotFoundError } from '../core/errors';
import { toGlobalId } from '../core/ids';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../core/paging';
import { resolvePeriod } from '../core/period';
import type { NumberType } from '../numbers';
import { creditPaymentsByCompany, paymentsByNumber } from './payment.loader';
import { paymentText } from './payment.text';
import type { PaymentKind, PaymentRow, PaymentType } from './payment.type';

export interface PaymentQuery {
  from?: string | null;
  to?: string | null;
  first?: number;
  after?: string;
}

export interface CreditPaymentQuery extends PaymentQuery {
  accountId?: number | null;
}

const toPayment =
  (language: Language) =>
  (row: PaymentRow): PaymentType => ({
    id: toGlobalId('Payment', row.id),
    paidAt: row.paidAt,
    type: row.type as PaymentKind,
    comment: paymentText(row, language),
    amount: BigInt(row.amount),
    balanceBefore: BigInt(row.balanceBefore),
    balanceAfter: BigInt(row.balanceAfter),
    accountNo: row.accountNo,
  });

const cursorOf = (row: PaymentRow) => encodeCursor([new Date(row.paidAt).toISOString(), row.id]);

export const paymentService = {
  /** Payment history of one number (Advance numbers), newest first; the view is recorded in the actions history. */
  async ofNumber(ctx: Context, number: NumberType, query: PaymentQuery): Promise<Page<PaymentType>> {
    const size = checkPageSize(query.first);
    const period = resolvePeriod(query.from, query.to);
    const after = decodeAfter(query.after, ['timestamp', 'bigint']) as [string, string] | null;
    const [rows] = await Promise.all([
      ctx.loader(paymentsByNumber).load({ parentId: number.dbId, args: { ...period, limit: size + 1, after } }),
      recordView(ctx, { action: 'VIEW_PAYMENT_HISTORY', companyId: number.companyId, numberId: number.dbId, details: { msisdn: number.msisdn, ...period } }),
    ]);
    return toPage(rows, size, after !== null, toPayment(ctx.language), cursorOf);
  },

  /** Payment history of the company's Credit (postpaid) accounts, newest first (F20); recorded in the actions history. */
  async ofCreditAccounts(ctx: Context, company: CompanyType, query: CreditPaymentQuery): Promise<Page<PaymentType>> {
    const size = checkPageSize(query.first);
    const period = resolvePeriod(query.from, query.to);
    const accountId = query.accountId ?? null;
    if (accountId !== null) await this.creditAccount(ctx, company.dbId, accountId);
    const after = decodeAfter(query.after, ['timestamp', 'bigint']) as [string, string] | null;
    const [rows] = await Promise.all([
      ctx.loader(creditPaymentsByCompany).load({ parentId: company.dbId, args: { ...period, accountId, limit: size + 1, after } }),
      recordView(ctx, { action: 'VIEW_CREDIT_PAYMENTS', companyId: company.dbId, numberId: null, details: { ...period } }),
    ]);
    return toPage(rows, size, after !== null, toPayment(ctx.language), cursorOf);
  },

  /** A Credit account of the company: NOT_FOUND for another company's, BAD_USER_INPUT for an Advance one. */
  async creditAccount(ctx: Context, companyId: number, accountId: number): Promise<void> {
    const account = await Promise.resolve()
      .then(() => companyService.account(ctx, accountId))
      .catch(() => null);
    if (!account || account.companyId !== companyId) throw new NotFoundError('Account');
    if (account.paymentMethod !== PaymentMethod.CREDIT) {
      throw new BadUserInputError('accountId', 'This is an Advance account: its payment history is kept per number');
    }
  },
};
