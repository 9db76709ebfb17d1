import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ApiKeyType } from '../api-keys';

@ObjectType('SandboxOutcome', { description: 'A documented MSISDN or ICCID of a sandbox whose operations always fail at the billing system.' })
export class SandboxOutcomeType {
  @Field(() => String, { nullable: true, description: 'The number whose every operation fails.' }) msisdn: string | null;
  @Field(() => String, { nullable: true, description: 'The free SIM card a replacement with which fails.' }) iccid: string | null;
  @Field({ description: 'The failure code the operation finishes with (as `Operation.failureCode`).' }) failureCode: string;
}

@ObjectType('Sandbox', {
  description: 'A sandbox company: a generated fleet on the simulated billing system, reached with its own keys, never mixed with real data.',
})
export class SandboxType {
  @Field(() => ID, { description: 'Global ID of the sandbox company (pass it as `companyId` to every query).' }) companyId: string;
  @Field({ description: '"Sandbox of" and the name of the company that owns it.' }) name: string;
  @Field(() => Int, { description: 'How long the billing system takes for each of its operations, in milliseconds.' }) delayMs: number;
  @Field(() => [SandboxOutcomeType], { description: 'The documented numbers and cards with a fixed failure.' }) failures: SandboxOutcomeType[];
  @Field(() => [String], { description: 'Free SIM cards of its own stock, which a SIM replacement takes.' }) freeIccids: string[];
  dbId: number;
}

@ObjectType('CreatedSandboxKey', { description: 'A new sandbox with its first key; the secret is shown this once and never again.' })
export class CreatedSandboxKeyType {
  @Field(() => SandboxType, { description: 'The sandbox.' }) sandbox: SandboxType;
  @Field(() => ApiKeyType, { description: 'The key, which reaches the sandbox only.' }) apiKey: ApiKeyType;
  @Field({ description: 'The secret to send as `Authorization: Bearer <secret>`. Store it now: it is kept only as a hash.' }) secret: string;
}
