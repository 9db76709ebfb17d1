import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../core/context';
import { mapNodes } from '../core/paging';
import { fromGlobalId, toGlobalId } from '../core/ids';
import type { EventKind } from '../events';
import { deliveryEventId, webhookService, type DeliveryRow, type EndpointRow } from './webhook.service';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryStatusEnum,
  WebhookDeliveryType,
  WebhookEndpointType,
  WebhookEndpointWithSecretType,
  type WebhookDisabledReasonEnum,
} from './webhook.type';

const toEndpoint = (row: EndpointRow): WebhookEndpointType => ({
  id: toGlobalId('WebhookEndpoint', row.id),
  databaseId: row.id,
  companyId: row.companyId,
  name: row.name,
  url: row.url,
  eventTypes: row.eventTypes as EventKind[],
  enabled: row.enabled,
  disabledAt: row.disabledAt,
  disabledReason: row.disabledReason as WebhookDisabledReasonEnum | null,
  consecutiveFailures: row.consecutiveFailures,
  secretRotatedAt: row.secretRotatedAt,
  previousSecretExpiresAt: row.previousSecretExpiresAt,
  createdAt: row.createdAt,
});

const toDelivery = (row: DeliveryRow): WebhookDeliveryType => ({
  id: toGlobalId('WebhookDelivery', row.id),
  eventId: deliveryEventId(row),
  eventType: row.topic,
  status: row.status as WebhookDeliveryStatusEnum,
  occurredAt: new Date(row.occurredAt),
  createdAt: new Date(row.createdAt),
  nextAttemptAt: row.status === 'PENDING' ? new Date(row.nextAttemptAt) : null,
  deliveredAt: row.deliveredAt && new Date(row.deliveredAt),
  attempts: row.attempts.map((attempt) => ({ ...attempt, attemptedAt: new Date(attempt.attemptedAt) })),
});

const endpointId = (id: string) => fromGlobalId('WebhookEndpoint', id, 'id');

@ArgsType()
class DeliveriesArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'A page’s `endCursor`: the older deliveries after it.' }) after?: string | null;
  @Field(() => WebhookDeliveryStatusEnum, { nullable: true, description: 'Only deliveries in this state.' }) status?: WebhookDeliveryStatusEnum | null;
}

@Resolver(() => WebhookEndpointType)
export class WebhookResolver {
  @Query(() => [WebhookEndpointType], { description: 'The company’s webhook endpoints, oldest first (administrators and keys of the company).' })
  async webhookEndpoints(@Arg('companyId', () => ID, { description: 'Global ID of the company.' }) companyId: string, @Ctx() ctx: Context) {
    return (await webhookService.list(ctx, fromGlobalId('Company', companyId, 'companyId'))).map(toEndpoint);
  }

  @Query(() => WebhookEndpointType, { description: 'One webhook endpoint; NOT_FOUND for another company’s.' })
  async webhookEndpoint(@Arg('id', () => ID, { description: 'Global ID of the endpoint.' }) id: string, @Ctx() ctx: Context) {
    return toEndpoint(await webhookService.get(ctx, endpointId(id)));
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Deliveries to this endpoint, newest first, each with every attempt.' })
  async deliveries(@Root() endpoint: WebhookEndpointType, @Args() args: DeliveriesArgs, @Ctx() ctx: Context) {
    const page = await webhookService.deliveries(ctx, { id: endpoint.databaseId, companyId: endpoint.companyId } as EndpointRow, args);
    return mapNodes(page, toDelivery);
  }

  @Mutation(() => WebhookEndpointWithSecretType, {
    description: 'Registers an endpoint (administrators and OPERATE keys); its signing secret is in this answer only.',
  })
  async createWebhookEndpoint(
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) companyId: string,
    @Arg('input', () => CreateWebhookEndpointInput, { description: 'Name, URL and event types.' }) input: CreateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointWithSecretType> {
    const { endpoint, secret } = await webhookService.create(ctx, fromGlobalId('Company', companyId, 'companyId'), input);
    return { endpoint: toEndpoint(endpoint), secret };
  }

  @Mutation(() => WebhookEndpointType, { description: 'Changes an endpoint’s name, URL, event types or state.' })
  async updateWebhookEndpoint(
    @Arg('id', () => ID, { description: 'Global ID of the endpoint.' }) id: string,
    @Arg('input', () => UpdateWebhookEndpointInput, { description: 'What to change.' }) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointType> {
    return toEndpoint(await webhookService.update(ctx, endpointId(id), input));
  }

  @Mutation(() => ID, { description: 'Removes an endpoint and its delivery log; answers its ID.' })
  async deleteWebhookEndpoint(@Arg('id', () => ID, { description: 'Global ID of the endpoint.' }) id: string, @Ctx() ctx: Context): Promise<string> {
    return toGlobalId('WebhookEndpoint', (await webhookService.remove(ctx, endpointId(id))).id);
  }

  @Mutation(() => WebhookEndpointWithSecretType, {
    description: 'A new signing secret, in this answer only; the previous one signs too for `overlapHours` (a second `v1=`).',
  })
  async rotateWebhookSecret(
    @Arg('id', () => ID, { description: 'Global ID of the endpoint.' }) id: string,
    @Arg('overlapHours', () => Int, { nullable: true, description: 'Hours the previous secret keeps signing, 0 to 168 (default 24).' })
    overlapHours: number | null,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointWithSecretType> {
    const { endpoint, secret } = await webhookService.rotate(ctx, endpointId(id), overlapHours);
    return { endpoint: toEndpoint(endpoint), secret };
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Sends a `WEBHOOK_TEST` event to the endpoint (one attempt, even when it is disabled).' })
  async sendTestWebhook(@Arg('id', () => ID, { description: 'Global ID of the endpoint.' }) id: string, @Ctx() ctx: Context): Promise<WebhookDeliveryType> {
    return toDelivery(await webhookService.sendTest(ctx, endpointId(id)));
  }

  @Mutation(() => WebhookDeliveryType, { description: 'Sends a delivery again, whatever its state, retried for another 24 hours.' })
  async redeliverWebhook(
    @Arg('deliveryId', () => ID, { description: 'Global ID of the delivery.' }) deliveryId: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryType> {
    return toDelivery(await webhookService.redeliver(ctx, fromGlobalId('WebhookDelivery', deliveryId, 'deliveryId')));
  }

  @Mutation(() => Int, { description: 'Sends every FAILED delivery of the endpoint again; answers how many.' })
  async redeliverWebhooks(@Arg('id', () => ID, { description: 'Global ID of the endpoint.' }) id: string, @Ctx() ctx: Context): Promise<number> {
    return webhookService.redeliverFailed(ctx, endpointId(id));
  }
}
