import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../core/context';
import { NumberType } from '../numbers';
import { tariffService } from './tariff.service';
import { TariffAllowanceType, TariffType } from './tariff.type';

@Resolver(() => NumberType)
export class NumberTariffResolver {
  @FieldResolver(() => TariffType, { description: 'The number’s tariff plan.' })
  tariff(@Root() number: NumberType, @Ctx() ctx: Context): TariffType | Promise<TariffType> {
    return tariffService.get(ctx, number.tariffId);
  }

  @FieldResolver(() => [TariffAllowanceType], { description: 'Remaining allowances of the tariff plan (e.g. on-net calls: unlimited).' })
  tariffBalances(@Root() number: NumberType, @Ctx() ctx: Context): Promise<TariffAllowanceType[]> {
    return tariffService.allowances(ctx, number.dbId, false);
  }

  @FieldResolver(() => [TariffAllowanceType], { description: 'Additional bonuses: minutes, SMS, Internet, with validity dates.' })
  bonuses(@Root() number: NumberType, @Ctx() ctx: Context): Promise<TariffAllowanceType[]> {
    return tariffService.allowances(ctx, number.dbId, true);
  }
}
