import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { MoneyScalar } from '../common/scalars';
import type { ServiceRow } from '../billing';

export type { ServiceRow };

export enum ServiceCategory {
  VOICE = 'VOICE',
  INTERNET = 'INTERNET',
  MESSAGING = 'MESSAGING',
  OTHER = 'OTHER',
}
registerEnumType(ServiceCategory, { name: 'ServiceCategory', description: 'Group of the service catalogue.' });

@ObjectType('Service', { description: 'A service of the operator’s catalogue (roaming, international calls, Internet packs…).' })
export class ServiceType {
  @Field(() => ID, { description: 'Global ID of the service.' }) id: string;
  @Field({ description: 'Stable code, e.g. "ROAMING".' }) code: string;
  @Field(() => ServiceCategory, { description: 'Catalogue group.' }) category: ServiceCategory;
  @Field({ description: 'Name in the request’s language.' }) name: string;
  @Field({ description: 'Terms of the service in the request’s language.' }) description: string;
  @Field(() => MoneyScalar, { description: 'Monthly fee.' }) monthlyFee: bigint;
  @Field(() => String, { nullable: true, description: 'The service’s page on the operator’s site, for its full terms; null when it has none.' })
  infoUrl: string | null;
}

@ObjectType('ConnectedService', { description: 'A service connected on a number.' })
export class ConnectedServiceType {
  @Field(() => ServiceType, { description: 'The service.' }) service: ServiceType;
  @Field(() => GraphQLDateTime, { description: 'When it was connected.' }) connectedAt: Date;
}

@ObjectType('ServiceGroup', { description: 'Services of one catalogue category.' })
export class ServiceGroupType {
  @Field(() => ServiceCategory, { description: 'The category.' }) category: ServiceCategory;
  @Field(() => [ServiceType], { description: 'Its services in catalogue order.' }) services: ServiceType[];
}
