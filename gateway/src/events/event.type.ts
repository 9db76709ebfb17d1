import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../common/connection';

/** The company events partners can follow; each is also a subscription (`numberChanged`, …). */
export enum EventKind {
  NUMBER_CHANGED = 'NUMBER_CHANGED',
  OPERATION_CHANGED = 'OPERATION_CHANGED',
  REPORT_CHANGED = 'REPORT_CHANGED',
  BULK_OPERATION_CHANGED = 'BULK_OPERATION_CHANGED',
}
registerEnumType(EventKind, {
  name: 'EventType',
  description: 'What an event tells.',
  valuesConfig: {
    NUMBER_CHANGED: { description: 'A number changed (state, SIM, services…): `numberId`, and `state` when it is known.' },
    OPERATION_CHANGED: { description: 'An operation was accepted or finished: `operationId` and `numberId`.' },
    REPORT_CHANGED: { description: 'A report was requested, sent or failed: `reportId`, and `state` (its status).' },
    BULK_OPERATION_CHANGED: {
      description:
        'A fleet operation changed status or made progress (at most about three a second): `bulkOperationId`; its numbers’ results are in `BulkOperation.items`.',
    },
  },
});

@ObjectType('Event', { description: 'One entry of a company’s event log: which object changed. Load the object for what it is now.' })
export class EventType {
  @Field({ description: 'Where this event stands in the company’s log: pass it as `after` to `events` or to a subscription to resume after it.' })
  cursor: string;
  @Field(() => EventKind, { description: 'What the event tells.' }) type: EventKind;
  @Field(() => Int, { description: 'The company’s sequence of events of this type: 1, 2, 3…' }) sequence: number;
  @Field(() => GraphQLDateTime, { description: 'When the change was made.' }) occurredAt: Date;
  @Field(() => ID, { nullable: true, description: 'Global ID of the number concerned.' }) numberId: string | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of the operation concerned.' }) operationId: string | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of the report concerned.' }) reportId: string | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of the fleet operation concerned.' }) bulkOperationId: string | null;
  @Field(() => String, { nullable: true, description: 'The new state (a number’s NumberState, a report’s status), when the event carries it.' })
  state: string | null;
}

export const EventConnection = Connection(EventType, 'Event', 'event');
