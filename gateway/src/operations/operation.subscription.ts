import { Arg, Ctx, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { eventCursor, eventService } from '../events';
import type { Context } from '../core/context';
import { fromGlobalId } from '../core/ids';
import type { CabinetEvent } from '../core/events';
import { NumberType, numberService } from '../numbers';
import { toOperation } from './operation.resolver';
import { operationService } from './operation.service';
import { OperationType } from './operation.type';

const CURSOR = 'Where this event stands in the company’s event log: keep the last one and pass it as `after` when you subscribe again.';
const AFTER = {
  nullable: true,
  description:
    'The `cursor` of the last event you have: the events since then come first, then live ones, none twice. CURSOR_EXPIRED when it is older than the log keeps: refetch.',
};

@ObjectType('NumberChange', { description: 'A number changed (its state, SIM, services…): the number as it is now.' })
export class NumberChangeType {
  @Field(() => Int, { description: 'The company’s sequence of these events: 1, 2, 3…' }) sequence: number;
  @Field({ description: CURSOR }) cursor: string;
  @Field(() => NumberType, { description: 'The number now.' }) number: NumberType;
}

@ObjectType('OperationChange', { description: 'An operation was accepted or finished.' })
export class OperationChangeType {
  @Field(() => Int, { description: 'The company’s sequence of these events: 1, 2, 3…' }) sequence: number;
  @Field({ description: CURSOR }) cursor: string;
  @Field(() => OperationType, { description: 'The operation now.' }) operation: OperationType;
}

interface CompanyArgs {
  companyId: string;
  after?: string | null;
}

/** Authorizes like a query, then follows one topic of the company's events. */
function companyEvents(topic: string) {
  return ({ args, context }: { args: CompanyArgs; context: Context }): Promise<AsyncIterable<CabinetEvent>> =>
    eventService.follow(context, fromGlobalId('Company', args.companyId, 'companyId'), [topic], args.after);
}

@Resolver()
export class OperationSubscriptionResolver {
  @Subscription(() => NumberChangeType, {
    description: 'Numbers of the company as they change — e.g. IN_PROCESS when a block is accepted, then BLOCKED. Authorized like queries, at connection_init.',
    subscribe: companyEvents('NUMBER_CHANGED') as never,
  })
  async numberChanged(
    @Root() event: CabinetEvent,
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) _companyId: string,
    @Arg('after', () => String, AFTER) _after: string | null,
    @Ctx() ctx: Context,
  ): Promise<NumberChangeType> {
    return {
      sequence: event.sequence,
      cursor: eventCursor(event.companyId!, event.position),
      number: await numberService.get(ctx, Number(event.payload.numberId)),
    };
  }

  @Subscription(() => OperationChangeType, {
    description: 'Operations of the company as they are accepted and finished (SUCCESS or FAILURE, with the reason).',
    subscribe: companyEvents('OPERATION_CHANGED') as never,
  })
  async operationChanged(
    @Root() event: CabinetEvent,
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) _companyId: string,
    @Arg('after', () => String, AFTER) _after: string | null,
    @Ctx() ctx: Context,
  ): Promise<OperationChangeType> {
    const row = await operationService.byId(ctx, String(event.payload.operationId));
    return { sequence: event.sequence, cursor: eventCursor(event.companyId!, event.position), operation: toOperation(row!) };
  }
}
