import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../core/context';
import { NumberType } from '../numbers';
import { serviceService } from './service.service';
import { ConnectedServiceType, ServiceGroupType } from './service.type';

@Resolver(() => NumberType)
export class NumberServicesResolver {
  @FieldResolver(() => [ConnectedServiceType], { description: 'Services connected on the number.' })
  connectedServices(@Root() number: NumberType, @Ctx() ctx: Context): Promise<ConnectedServiceType[]> {
    return serviceService.connected(ctx, number.dbId);
  }

  @FieldResolver(() => [ServiceGroupType], { description: 'Services the tariff allows that can be connected, by category.' })
  availableServices(@Root() number: NumberType, @Ctx() ctx: Context): Promise<ServiceGroupType[]> {
    return serviceService.available(ctx, number.dbId, number.tariffId);
  }
}
