import type { Context } from '../core/context';
import { toGlobalId } from '../core/ids';
import { localize } from '../core/language';
import { connectedServicesByNumber, serviceByCode, servicesByTariff } from './service.loader';
import type { ConnectedServiceType, ServiceCategory, ServiceGroupType, ServiceRow, ServiceType } from './service.type';

export const serviceService = {
  toService(ctx: Context, row: ServiceRow): ServiceType {
    return {
      id: toGlobalId('Service', row.id),
      code: row.code,
      category: row.category as ServiceCategory,
      name: localize(row.name, ctx.language),
      description: localize(row.description, ctx.language),
      monthlyFee: BigInt(row.monthlyFee),
      infoUrl: row.infoUrl,
    };
  },

  /** The names of services by code, in the request's language; codes that name no service are left out. */
  async names(ctx: Context, codes: string[]): Promise<Map<string, string>> {
    const rows = await ctx.loader(serviceByCode).loadMany(codes);
    const names = new Map<string, string>();
    for (const row of rows) if (row && !(row instanceof Error)) names.set(row.code, localize(row.name, ctx.language));
    return names;
  },

  async connected(ctx: Context, numberId: number): Promise<ConnectedServiceType[]> {
    const rows = await ctx.loader(connectedServicesByNumber).load(numberId);
    return rows.map((row) => ({ service: this.toService(ctx, row), connectedAt: row.connectedAt! }));
  },

  /** Services the number's tariff allows that are not connected yet, grouped by category. */
  async available(ctx: Context, numberId: number, tariffId: number): Promise<ServiceGroupType[]> {
    const [allowed, connected] = await Promise.all([ctx.loader(servicesByTariff).load(tariffId), ctx.loader(connectedServicesByNumber).load(numberId)]);
    const connectedIds = new Set(connected.map((row) => row.id));
    const groups = new Map<string, ServiceGroupType>();
    for (const row of allowed) {
      if (connectedIds.has(row.id)) continue;
      const group = groups.get(row.category) ?? { category: row.category as ServiceCategory, services: [] };
      group.services.push(this.toService(ctx, row));
      groups.set(row.category, group);
    }
    return [...groups.values()];
  },
};
