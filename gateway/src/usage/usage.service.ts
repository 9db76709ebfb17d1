import { recordView } from '../core/action-recorder';
import type { Context } from '../core/context';
import { BadUserInputError } from '../core/errors';
import { toGlobalId } from '../core/ids';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../core/paging';
import { resolvePeriod, type Period } from '../core/period';
import { USAGE_WINDOW_DAYS, windowStartByDays } from '@cabinet/schema/rules';
import type { NumberType } from '../numbers';
import { usageByNumber, usageTotalsByNumber } from './usage.loader';
import type { UsageDirection, UsageKind, UsageRecordType, UsageRow, UsageTotalsType } from './usage.type';

export { USAGE_WINDOW_DAYS };

export interface UsageQuery {
  from?: string | null;
  to?: string | null;
  type?: UsageKind | null;
  first?: number;
  after?: string;
}

/**
 * A period of usage details: inside the last 90 days including today, start ≤ end; by default the last month,
 * clipped to the window. BAD_USER_INPUT names `from` or `to`, whichever lies outside.
 */
export function usagePeriod(from: string | null | undefined, to: string | null | undefined, now = new Date()): Period {
  const earliest = windowStartByDays(USAGE_WINDOW_DAYS, now);
  if (to && to < earliest) throw new BadUserInputError('to', `to must be within the last ${USAGE_WINDOW_DAYS} days (not before ${earliest})`);
  return resolvePeriod(from, to, USAGE_WINDOW_DAYS, now);
}

const toRecord = (row: UsageRow): UsageRecordType => ({
  id: toGlobalId('UsageRecord', row.id),
  startedAt: row.startedAt,
  type: row.type as UsageKind,
  direction: row.direction as UsageDirection,
  otherParty: row.otherParty,
  durationSeconds: row.durationSeconds,
  volumeKb: row.volumeKb === null ? null : BigInt(row.volumeKb),
  cost: BigInt(row.cost),
});

const viewed = (ctx: Context, number: NumberType, period: Period) =>
  recordView(ctx, { action: 'VIEW_USAGE', companyId: number.companyId, numberId: number.dbId, details: { msisdn: number.msisdn, ...period } });

export const usageService = {
  /** One page of the itemized bill of a number the caller may see; the view is recorded in the actions history. */
  async records(ctx: Context, number: NumberType, query: UsageQuery): Promise<Page<UsageRecordType>> {
    const size = checkPageSize(query.first);
    const period = usagePeriod(query.from, query.to);
    const after = decodeAfter(query.after, ['timestamp', 'bigint']) as [string, string] | null;
    const [rows] = await Promise.all([
      ctx.loader(usageByNumber).load({ parentId: number.dbId, args: { ...period, type: query.type ?? null, limit: size + 1, after } }),
      viewed(ctx, number, period),
    ]);
    return toPage(rows, size, after !== null, toRecord, (row) => encodeCursor([new Date(row.startedAt).toISOString(), row.id]));
  },

  async totals(ctx: Context, number: NumberType, query: Pick<UsageQuery, 'from' | 'to'>): Promise<UsageTotalsType> {
    const period = usagePeriod(query.from, query.to);
    const [row] = await Promise.all([ctx.loader(usageTotalsByNumber).load({ parentId: number.dbId, args: period }), viewed(ctx, number, period)]);
    return {
      calls: row?.calls ?? 0,
      callSeconds: BigInt(row?.callSeconds ?? 0),
      sms: row?.sms ?? 0,
      dataKb: BigInt(row?.dataKb ?? 0),
      cost: BigInt(row?.cost ?? 0),
    };
  },
};
