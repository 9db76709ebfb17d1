import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum ApiKeyScopeEnum {
  READ = 'READ',
  OPERATE = 'OPERATE',
}
registerEnumType(ApiKeyScopeEnum, {
  name: 'ApiKeyScope',
  description: 'What a partner key may do.',
  valuesConfig: {
    READ: { description: 'Queries only.' },
    OPERATE: { description: 'Queries and operations on numbers (block, services, SIM replacement…).' },
  },
});

@ObjectType('ApiKey', { description: 'A partner API key of one company, sent as `Authorization: Bearer <secret>`.' })
export class ApiKeyType {
  @Field(() => ID, { description: 'Global ID of the key.' }) id: string;
  @Field({ description: 'Name given at creation.' }) name: string;
  @Field(() => ApiKeyScopeEnum, { description: 'What the key may do.' }) scope: ApiKeyScopeEnum;
  @Field({ description: 'The first characters of the secret (`cab_<prefix>_…`), to tell keys apart.' }) prefix: string;
  @Field(() => GraphQLDateTime, { description: 'When it was created.' }) createdAt: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was revoked; revoked keys are refused.' }) revokedAt: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was last used.' }) lastUsedAt: Date | null;
}

@ObjectType('CreatedApiKey', { description: 'A new key with its secret, shown this once and never again.' })
export class CreatedApiKeyType {
  @Field(() => ApiKeyType, { description: 'The key.' }) apiKey: ApiKeyType;
  @Field({ description: 'The secret to send as `Authorization: Bearer <secret>`. Store it now: it is kept only as a hash.' })
  secret: string;
}
