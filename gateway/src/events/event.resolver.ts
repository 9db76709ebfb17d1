import { Args, ArgsType, Ctx, Field, ID, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../core/context';
import { fromGlobalId } from '../core/ids';
import { eventService } from './event.service';
import { EventConnection, EventKind } from './event.type';

@ArgsType()
class EventsArgs {
  @Field(() => ID, { description: 'Global ID of the company.' }) companyId: string;
  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last event you have (an event’s `cursor` or a page’s `endCursor`); absent: from the oldest event kept.',
  })
  after?: string | null;
  @Field(() => [EventKind], { nullable: true, description: 'Only events of these types; default: all.' }) types?: EventKind[] | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
}

@Resolver()
export class EventResolver {
  @Query(() => EventConnection, {
    description:
      'The company’s event log, oldest first: what changed while you were away. Kept 30 days by default; an older cursor fails with CURSOR_EXPIRED (refetch, then follow from the new `endCursor`).',
  })
  events(@Args() { companyId, after, types, first }: EventsArgs, @Ctx() ctx: Context) {
    return eventService.page(ctx, fromGlobalId('Company', companyId, 'companyId'), { after, types, first });
  }
}
