import type { Context } from '../core/context';
import { NotFoundError } from '../core/errors';
import { toGlobalId } from '../core/ids';
import { localize } from '../core/language';
import { whenKnown } from '../core/loaders';
import { tariffById } from '../billing';
import { allowancesByNumber } from './tariff.loader';
import type { AllowanceKind, AllowanceRow, AllowanceUnit, TariffAllowanceType, TariffType } from './tariff.type';

const toAllowance = (row: AllowanceRow): TariffAllowanceType => ({
  kind: row.kind as AllowanceKind,
  unlimited: row.unlimited,
  available: row.unlimited || row.available === null ? null : BigInt(row.available),
  total: row.unlimited || row.total === null ? null : BigInt(row.total),
  unit: row.unit as AllowanceUnit,
  validFrom: row.validFrom,
  validTo: row.validTo,
});

export const tariffService = {
  /** The tariff, at once when the request has read it already (a page of numbers reads its tariffs with it). */
  get(ctx: Context, id: number): TariffType | Promise<TariffType> {
    return whenKnown(ctx.loader(tariffById).get(id), (row) => {
      if (!row) throw new NotFoundError('Tariff');
      return { id: toGlobalId('Tariff', row.id), code: row.code, name: localize(row.name, ctx.language) };
    });
  },

  /** The plan's own allowances (`bonus` false) or the additional bonuses (`bonus` true) of a number. */
  async allowances(ctx: Context, numberId: number, bonus: boolean): Promise<TariffAllowanceType[]> {
    const rows = await ctx.loader(allowancesByNumber).load(numberId);
    return rows.filter((row) => row.isBonus === bonus).map(toAllowance);
  },
};
