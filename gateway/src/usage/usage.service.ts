import type { Context } from '../graphql/context';
import { toGlobalId } from '../graphql/ids';
import { checkPageSize, decodeCursor, encodeCursor, toPage, type Page } from '../graphql/paging';
import { resolvePeriod } from '../graphql/period';
import { usageByNumber, usageTotalsByNumber } from './usage.loader';
import type { UsageRecordType, UsageRow, UsageTotalsType } from './usage.type';

/** Usage details are kept for 90 days, today included. */
export const USAGE_WINDOW_DAYS = 90;

export interface UsageQuery {
  from?: string | null;
  to?: string | null;
  first?: number;
  after?: string;
}

const toRecord = (row: UsageRow): UsageRecordType => ({
  id: toGlobalId('UsageRecord', row.id),
  startedAt: row.startedAt,
  type: row.type,
  direction: row.direction,
  otherParty: row.otherParty,
  durationSeconds: row.durationSeconds,
  volumeKb: row.volumeKb === null ? null : BigInt(row.volumeKb),
  cost: BigInt(row.cost),
});

export const usageService = {
  async records(ctx: Context, numberId: number, query: UsageQuery): Promise<Page<UsageRecordType>> {
    const size = checkPageSize(query.first);
    const period = resolvePeriod(query.from, query.to, USAGE_WINDOW_DAYS);
    const after = query.after === undefined ? null : (decodeCursor(query.after, ['string', 'string']) as [string, string]);
    const rows = await ctx.loader(usageByNumber).load({ parentId: numberId, args: { ...period, limit: size + 1, after } });
    return toPage(rows, size, after !== null, toRecord, (row) => encodeCursor([new Date(row.startedAt).toISOString(), row.id]));
  },

  async totals(ctx: Context, numberId: number, query: Pick<UsageQuery, 'from' | 'to'>): Promise<UsageTotalsType> {
    const period = resolvePeriod(query.from, query.to, USAGE_WINDOW_DAYS);
    const [row] = await ctx.loader(usageTotalsByNumber).load({ parentId: numberId, args: period });
    return {
      calls: row?.calls ?? 0,
      callSeconds: BigInt(row?.callSeconds ?? 0),
      sms: row?.sms ?? 0,
      dataKb: BigInt(row?.dataKb ?? 0),
      cost: BigInt(row?.cost ?? 0),
    };
  },
};
