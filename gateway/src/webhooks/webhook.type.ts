import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../common/connection';
import { EventKind } from '../events';

export enum WebhookDeliveryStatusEnum {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatusEnum, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not yet answered with a 2xx: the next attempt is at `nextAttemptAt`.' },
    SUCCEEDED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Given up: retried for 24 hours, or the endpoint was disabled, or a test that failed. `redeliverWebhook` sends it again.' },
  },
});

export enum WebhookDisabledReasonEnum {
  MANUAL = 'MANUAL',
  FAILURES = 'FAILURES',
}
registerEnumType(WebhookDisabledReasonEnum, {
  name: 'WebhookDisabledReason',
  description: 'Why an endpoint is disabled.',
  valuesConfig: {
    MANUAL: { description: 'Disabled with `updateWebhookEndpoint(enabled: false)`.' },
    FAILURES: { description: 'Disabled after a run of failed attempts; the company’s administrators were e-mailed.' },
  },
});

@ObjectType('WebhookEndpoint', { description: 'A partner’s HTTPS endpoint that receives the company’s events, signed.' })
export class WebhookEndpointType {
  @Field(() => ID, { description: 'Global ID of the endpoint.' }) id: string;
  @Field({ description: 'Name given by the partner.' }) name: string;
  @Field({ description: 'Where events are POSTed.' }) url: string;
  @Field(() => [EventKind], { description: 'The event types sent to it.' }) eventTypes: EventKind[];
  @Field({ description: 'Whether events are sent to it.' }) enabled: boolean;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was disabled.' }) disabledAt: Date | null;
  @Field(() => WebhookDisabledReasonEnum, { nullable: true, description: 'Why it is disabled.' }) disabledReason: WebhookDisabledReasonEnum | null;
  @Field(() => Int, { description: 'Failed attempts in a row; the endpoint is disabled when they reach the configured number.' })
  consecutiveFailures: number;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the secret was last rotated.' }) secretRotatedAt: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Until when the previous secret signs too (a second `v1=`); null: only the current one.' })
  previousSecretExpiresAt: Date | null;
  @Field(() => GraphQLDateTime, { description: 'When it was created.' }) createdAt: Date;
  /** The company, for the deliveries' access check. */
  companyId: number;
  databaseId: number;
}

@ObjectType('WebhookEndpointWithSecret', { description: 'An endpoint with its signing secret, shown this once and never again.' })
export class WebhookEndpointWithSecretType {
  @Field(() => WebhookEndpointType, { description: 'The endpoint.' }) endpoint: WebhookEndpointType;
  @Field({ description: 'The signing secret (`whsec_…`): the HMAC-SHA256 key of `Cabinet-Webhook-Signature`. Store it now.' }) secret: string;
}

@ObjectType('WebhookAttempt', { description: 'One HTTP request of a delivery.' })
export class WebhookAttemptType {
  @Field(() => GraphQLDateTime, { description: 'When it was made.' }) attemptedAt: Date;
  @Field(() => Int, { nullable: true, description: 'The receiver’s HTTP status; null when it did not answer (or the address was refused).' })
  statusCode: number | null;
  @Field(() => Int, { description: 'Milliseconds from the start of the request to the end of what was read.' }) durationMs: number;
  @Field(() => String, { nullable: true, description: 'The first bytes of the answer’s body (512 by default).' }) responseBody: string | null;
  @Field(() => String, { nullable: true, description: 'Why there was no answer: refused address, timeout, connection error.' }) error: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One event sent to one endpoint, with its attempts.' })
export class WebhookDeliveryType {
  @Field(() => ID, { description: 'Global ID of the delivery.' }) id: string;
  @Field({ description: 'The event’s id: `Cabinet-Webhook-Id` and the body’s `id`; the event’s cursor in the log (`test_…` for a test).' })
  eventId: string;
  @Field({ description: 'The event type (`WEBHOOK_TEST` for a test delivery).' }) eventType: string;
  @Field(() => WebhookDeliveryStatusEnum, { description: 'Where it stands.' }) status: WebhookDeliveryStatusEnum;
  @Field(() => GraphQLDateTime, { description: 'When the event happened.' }) occurredAt: Date;
  @Field(() => GraphQLDateTime, { description: 'When the delivery was created.' }) createdAt: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the next attempt is due, while PENDING.' }) nextAttemptAt: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the receiver answered 2xx.' }) deliveredAt: Date | null;
  @Field(() => [WebhookAttemptType], { description: 'Every attempt, oldest first.' }) attempts: WebhookAttemptType[];
}

export const WebhookDeliveryConnection = Connection(WebhookDeliveryType, 'WebhookDelivery', 'webhook delivery');

@InputType('CreateWebhookEndpointInput', { description: 'A new endpoint.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'What it is for, 1 to 100 characters.' }) name: string;
  @Field({ description: 'https URL (plain http only to a loopback address, when the gateway allows it); no private addresses.' }) url: string;
  @Field(() => [EventKind], { description: 'The event types to send, at least one.' }) eventTypes: EventKind[];
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) enabled?: boolean | null;
}

@InputType('UpdateWebhookEndpointInput', { description: 'What to change; absent fields stay.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true, description: 'What it is for, 1 to 100 characters.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'https URL; see `CreateWebhookEndpointInput.url`.' }) url?: string | null;
  @Field(() => [EventKind], { nullable: true, description: 'The event types to send, at least one.' }) eventTypes?: EventKind[] | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'false: stop sending (pending deliveries become FAILED); true: send again, with the failure count reset.',
  })
  enabled?: boolean | null;
}
