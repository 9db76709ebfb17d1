import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

// What every entry of the actions history has, shared by the domains whose records are such entries (operations).

export enum ActionStatus {
  IN_PROCESS = 'IN_PROCESS',
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}
registerEnumType(ActionStatus, { name: 'ActionStatus', description: 'Outcome of an action.' });

@ObjectType('Actor', { description: 'Who performed an action.' })
export class ActorType {
  @Field({ description: 'Name of the administrator or partner key.' }) name: string;
  @Field(() => String, { nullable: true, description: 'Phone of the administrator, 11 digits.' }) phone: string | null;
  @Field(() => ID, { nullable: true, description: 'Global ID of the administrator (to filter the history by them); null for partner keys.' })
  administratorId?: string | null;
}
