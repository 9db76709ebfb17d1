import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../graphql/connection';

export enum ActionStatus {
  IN_PROCESS = 'IN_PROCESS',
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}
registerEnumType(ActionStatus, { name: 'ActionStatus', description: 'Outcome of an action.' });

export interface ActionLogRow extends Record<string, unknown> {
  id: string;
  companyId: number;
  numberId: number | null;
  action: string;
  details: Record<string, string>;
  status: ActionStatus;
  actorName: string;
  actorPhone: string | null;
  administratorId: number | null;
  createdAt: Date;
}

@ObjectType('Actor', { description: 'Who performed an action.' })
export class ActorType {
  @Field({ description: 'Name of the administrator or partner key.' }) name: string;
  @Field(() => String, { nullable: true, description: 'Phone of the administrator, 11 digits.' }) phone: string | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of the administrator (to filter the history by them); null for partner keys.' })
  administratorId?: string | null;
}

@ObjectType('ActionLog', { description: 'An entry of the actions history: what was done, by whom, when, and how it ended.' })
export class ActionLogType {
  @Field(() => ID, { description: 'Global ID of the entry.' }) id: string;
  @Field({ description: 'Stable code of the action, e.g. BLOCK_NUMBER.' }) action: string;
  @Field({ description: 'The action in words, in the request’s language, e.g. "Block number 77010542001".' }) description: string;
  @Field(() => ActionStatus, { description: 'Success, failure, or still in process.' }) status: ActionStatus;
  @Field(() => GraphQLDateTime, { description: 'When it happened.' }) createdAt: Date;
  @Field(() => ActorType, { description: 'Who did it.' }) actor: ActorType;
  numberId: number | null;
}

export const ActionLogConnection = Connection(ActionLogType, 'ActionLog', 'actions history entry');
