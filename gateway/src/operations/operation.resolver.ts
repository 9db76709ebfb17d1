import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ActionStatus } from '../actions/action-log.type';
import type { Context } from '../graphql/context';
import { fromGlobalId, toGlobalId } from '../graphql/ids';
import { ForwardingCondition, NumberType, numberService } from '../numbers';
import type { OperationStatus } from './operation.entity';
import { allowedOperations } from './operation.rules';
import { operationService, type OperationRequest, type OperationRow } from './operation.service';
import { failureCodeOf, failureText, type BillingFailureCode } from '../billing/billing.failures';
import { OperationConnection, OperationFailureCode, OperationKindEnum, OperationType } from './operation.type';

export function toOperation(row: OperationRow): OperationType {
  return {
    id: toGlobalId('Operation', row.id),
    kind: row.kind as OperationKindEnum,
    status: row.status as ActionStatus,
    parameters: Object.entries(row.params)
      .filter(([name]) => name !== 'msisdn')
      .map(([name, value]) => ({ name, value: String(value) })),
    failure: row.failureReason,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    actor: { name: row.actorName, phone: row.actorPhone },
    numberId: row.numberId,
    companyId: row.companyId,
  };
}

@ArgsType()
class OperationsArgs {
  @Field(() => ID, { description: 'Global ID of the company.' }) companyId: string;
  @Field(() => ID, { nullable: true, description: 'Only this number’s operations.' }) numberId?: string | null;
  @Field(() => ActionStatus, { nullable: true, description: 'Only operations in this status (IN_PROCESS for what is still running).' })
  status?: ActionStatus | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string;
}

const NUMBER_ID = { description: 'Global ID of the number.' };
const KEY = {
  nullable: true,
  description: 'Any string of yours, up to 100 characters, unique per intended operation: repeating a request with the same key returns the first operation instead of starting another.',
};

@Resolver(() => OperationType)
export class OperationResolver {
  private submit(ctx: Context, numberId: string, request: OperationRequest, key?: string | null) {
    return operationService.submit(ctx, fromGlobalId('Number', numberId, 'numberId'), request, key).then(toOperation);
  }

  @Query(() => OperationConnection, { description: 'Recent operations of a company or a number, newest first: refetch them after a reconnect.' })
  async operations(@Args() { companyId, numberId, status, first, after }: OperationsArgs, @Ctx() ctx: Context) {
    const page = await operationService.list(
      ctx,
      fromGlobalId('Company', companyId, 'companyId'),
      { numberId: numberId ? fromGlobalId('Number', numberId, 'numberId') : null, status: status as OperationStatus | null },
      first,
      after,
    );
    return { ...page, edges: page.edges.map((edge) => ({ ...edge, node: toOperation(edge.node) })) };
  }

  @FieldResolver(() => OperationFailureCode, { nullable: true, description: 'Why the billing system refused it, as a stable code (FAILURE only).' })
  failureCode(@Root() operation: OperationType): BillingFailureCode | null {
    return operation.failure === null ? null : failureCodeOf(operation.failure);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the billing system refused it, in the caller’s language (FAILURE only).' })
  failureReason(@Root() operation: OperationType, @Ctx() ctx: Context): string | null {
    return operation.failure === null ? null : failureText(operation.failure, ctx.language);
  }

  @FieldResolver(() => NumberType, { description: 'The number the operation is on.' })
  number(@Root() operation: OperationType, @Ctx() ctx: Context): Promise<NumberType> {
    return numberService.get(ctx, operation.numberId);
  }

  @Mutation(() => OperationType, { description: 'Blocks an Active number. The number shows IN_PROCESS until the billing system finishes.' })
  blockNumber(@Arg('numberId', () => ID, NUMBER_ID) numberId: string, @Arg('idempotencyKey', () => String, KEY) key: string | null, @Ctx() ctx: Context) {
    return this.submit(ctx, numberId, { kind: 'BLOCK_NUMBER' }, key);
  }

  @Mutation(() => OperationType, { description: 'Unblocks a Blocked number. NUMBER_BLOCKED_FOR_DEBT for a number Blocked / Debt.' })
  unblockNumber(@Arg('numberId', () => ID, NUMBER_ID) numberId: string, @Arg('idempotencyKey', () => String, KEY) key: string | null, @Ctx() ctx: Context) {
    return this.submit(ctx, numberId, { kind: 'UNBLOCK_NUMBER' }, key);
  }

  @Mutation(() => OperationType, {
    description: 'Replaces the SIM card of an Active number with a free card of the stock. The number and the company’s administrators are told by SMS; one replacement per 24 hours.',
  })
  replaceSim(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('iccid', { description: 'The 20 digits printed on the new card (spaces allowed).' }) iccid: string,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'REPLACE_SIM', iccid }, key);
  }

  @Mutation(() => OperationType, { description: 'Connects a service the number’s tariff offers (Active numbers only).' })
  connectService(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('serviceId', () => ID, { description: 'Global ID of the service.' }) serviceId: string,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'CONNECT_SERVICE', serviceId: fromGlobalId('Service', serviceId, 'serviceId') }, key);
  }

  @Mutation(() => OperationType, { description: 'Disconnects a connected service (Active numbers only).' })
  disconnectService(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('serviceId', () => ID, { description: 'Global ID of the service.' }) serviceId: string,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'DISCONNECT_SERVICE', serviceId: fromGlobalId('Service', serviceId, 'serviceId') }, key);
  }

  @Mutation(() => OperationType, { description: 'Registers a device with the number: the last recorded one unless an IMEI is given.' })
  registerDevice(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('imei', () => String, { nullable: true, description: '15 digits with a Luhn check digit; default: the last recorded IMEI.' }) imei: string | null,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'REGISTER_DEVICE', imei }, key);
  }

  @Mutation(() => OperationType, { description: 'Removes a registered device from the number.' })
  unregisterDevice(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('imei', { description: 'The registered IMEI.' }) imei: string,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'UNREGISTER_DEVICE', imei }, key);
  }

  @Mutation(() => OperationType, { description: 'Switches the SMS/USSD control ban on or off (the number’s user then cannot change services by SMS/USSD).' })
  setSmsUssdBan(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('enabled', { description: 'True to ban.' }) enabled: boolean,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'SET_SMS_USSD_BAN', enabled }, key);
  }

  @Mutation(() => OperationType, { description: 'Forwards calls under a condition to another number.' })
  setCallForwarding(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('condition', () => ForwardingCondition, { description: 'Always, busy, no answer or unreachable.' }) condition: ForwardingCondition,
    @Arg('target', { description: 'Where calls go: 11 digits starting with 7.' }) target: string,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'SET_CALL_FORWARDING', condition, target }, key);
  }

  @Mutation(() => OperationType, { description: 'Cancels the forwarding of a condition.' })
  cancelCallForwarding(
    @Arg('numberId', () => ID, NUMBER_ID) numberId: string,
    @Arg('condition', () => ForwardingCondition, { description: 'The condition to cancel.' }) condition: ForwardingCondition,
    @Arg('idempotencyKey', () => String, KEY) key: string | null,
    @Ctx() ctx: Context,
  ) {
    return this.submit(ctx, numberId, { kind: 'CANCEL_CALL_FORWARDING', condition }, key);
  }

  @Mutation(() => OperationType, {
    description: 'Sends the number, by SMS, a secret code that opens its consumer cabinet (information and usage details; never service changes).',
  })
  sendSecretCode(@Arg('numberId', () => ID, NUMBER_ID) numberId: string, @Arg('idempotencyKey', () => String, KEY) key: string | null, @Ctx() ctx: Context) {
    return this.submit(ctx, numberId, { kind: 'SEND_SECRET_CODE' }, key);
  }

  @Mutation(() => OperationType, { description: 'Deletes the number’s secret code.' })
  deleteSecretCode(@Arg('numberId', () => ID, NUMBER_ID) numberId: string, @Arg('idempotencyKey', () => String, KEY) key: string | null, @Ctx() ctx: Context) {
    return this.submit(ctx, numberId, { kind: 'DELETE_SECRET_CODE' }, key);
  }
}

@Resolver(() => NumberType)
export class NumberOperationsResolver {
  @FieldResolver(() => [OperationKindEnum], { description: 'Operations the number’s state allows now: what its quick-operations menu offers.' })
  allowedOperations(@Root() number: NumberType): OperationKindEnum[] {
    return allowedOperations(number.state) as OperationKindEnum[];
  }
}
