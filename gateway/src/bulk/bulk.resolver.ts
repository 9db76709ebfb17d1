import { GraphQLDateTime } from 'graphql-scalars';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../core/context';
import type { CabinetEvent } from '../core/events';
import { mapNodes } from '../core/paging';
import { fromGlobalId, toGlobalId } from '../core/ids';
import { DownloadType } from '../documents';
import { eventCursor, eventService } from '../events';
import { NumberType, numberService } from '../numbers';
import { OperationType, operationService, toOperation } from '../operations';
import { decideBulkOperation } from './bulk.approval';
import { APPROVAL_WINDOW_HOURS } from './bulk.approval.queue';
import { resultsDownload } from './bulk.results';
import { rescheduleBulkOperation } from './bulk.schedule';
import { BULK_OPERATION_CHANGED, bulkService, checkStartAt, kindInput, type BulkItemRow, type BulkRow, type BulkStatus } from './bulk.service';
import { reasonText } from './bulk.texts';
import {
  BulkCountsType,
  BulkItemConnection,
  BulkItemStatus,
  BulkItemType,
  BulkOperationAnswerType,
  BulkOutcome,
  BulkOperationChangeType,
  BulkOperationConnection,
  BulkOperationInput,
  BulkOperationStatus,
  BulkOperationType,
  BulkResultsFormat,
} from './bulk.type';

export function toBulkOperation(row: BulkRow): BulkOperationType {
  return {
    id: toGlobalId('BulkOperation', row.id),
    dbId: row.id,
    companyId: row.companyId,
    administratorId: row.administratorId,
    requesterId: row.requesterId,
    kind: row.kind,
    status: row.status as BulkOperationStatus,
    parameters: Object.entries(row.input).map(([name, value]) => ({ name, value: String(value) })),
    total: row.total,
    startAt: row.startAt,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    actor: { name: row.actorName, phone: row.actorPhone, administratorId: row.administratorId ? toGlobalId('Administrator', row.administratorId) : null },
    approvalRequired: row.approvalRequired,
    approvalExpiresAt: row.status === 'AWAITING_APPROVAL' ? new Date(new Date(row.createdAt).getTime() + APPROVAL_WINDOW_HOURS * 3600_000) : null,
    decision:
      row.decidedAt && row.decidedBy
        ? {
            approved: row.status !== 'REJECTED',
            by: { name: row.decidedByName ?? '', phone: row.decidedByPhone, administratorId: toGlobalId('Administrator', row.decidedBy) },
            at: row.decidedAt,
            comment: row.decisionComment,
          }
        : null,
  };
}

const toItem = (row: BulkItemRow): BulkItemType => ({
  position: row.position,
  msisdn: row.msisdn,
  status: row.status as BulkItemStatus,
  reasonCode: row.reason,
  numberId: row.numberId,
  operationId: row.operationId,
});

const bulkDbId = (id: string, argument = 'id') => String(fromGlobalId('BulkOperation', id, argument));

@ArgsType()
class BulkOperationsArgs {
  @Field(() => ID, { description: 'Global ID of the company.' }) companyId: string;
  @Field(() => [BulkOperationStatus], { nullable: true, description: 'Only operations in these statuses.' }) statuses?: BulkOperationStatus[] | null;
  @Field(() => ID, { nullable: true, description: 'Only operations having this number among their items.' }) numberId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string;
}

@ArgsType()
class BulkItemsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 50).' }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor after which the page starts.' }) after?: string;
  @Field(() => BulkItemStatus, { nullable: true, description: 'Only items in this status.' }) status?: BulkItemStatus | null;
}

@ArgsType()
class BulkSubmitArgs {
  @Field(() => BulkOperationInput, { description: 'The kind, its input and the selection.' }) input: BulkOperationInput;
  @Field(() => Boolean, {
    defaultValue: true,
    description: 'True (the default): only the plan, nothing is written. False, with the dry run’s token: start the operation.',
  })
  dryRun: boolean;
  @Field(() => String, { nullable: true, description: 'The dry run’s `plan.token` (dryRun: false only).' }) token?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Any string of yours, up to 100 characters: repeating a start with the same key returns the first operation instead of starting another.',
  })
  idempotencyKey?: string | null;
}

@Resolver(() => BulkOperationType)
export class BulkOperationResolver {
  @Query(() => BulkOperationConnection, { description: 'A company’s fleet operations, newest first.' })
  async bulkOperations(@Args() { companyId, statuses, numberId, first, after }: BulkOperationsArgs, @Ctx() ctx: Context) {
    const page = await bulkService.list(
      ctx,
      fromGlobalId('Company', companyId, 'companyId'),
      { statuses: statuses as BulkStatus[] | null, numberId: numberId ? fromGlobalId('Number', numberId, 'numberId') : null },
      first,
      after,
    );
    return mapNodes(page, toBulkOperation);
  }

  @Query(() => BulkOperationType, {
    name: 'bulkOperation',
    nullable: true,
    description: 'One fleet operation; NOT_FOUND when it is not of one of your companies.',
  })
  async bulkOperationById(@Arg('id', () => ID, { description: 'Global ID of the operation.' }) id: string, @Ctx() ctx: Context) {
    return toBulkOperation(await bulkService.get(ctx, bulkDbId(id)));
  }

  @Mutation(() => BulkOperationAnswerType, {
    name: 'bulkOperation',
    description:
      'Applies one operation kind to a selection of up to 100,000 numbers. First the dry run (the default): per outcome how many numbers change, are already done or cannot, with the reasons, refused upload lines and the change in monthly fees; nothing is written. Then the same request with dryRun: false and the plan’s token starts it: a durable job hands the numbers to the billing system at its pace (bulkOperationChanged follows it).',
  })
  async submitBulkOperation(@Args() { input, dryRun, token, idempotencyKey }: BulkSubmitArgs, @Ctx() ctx: Context): Promise<BulkOperationAnswerType> {
    const { companyId, kind, selection, startAt, ...args } = input;
    const answer = await bulkService.submit(
      ctx,
      {
        companyId: fromGlobalId('Company', companyId, 'companyId'),
        kind,
        input: kindInput(kind, args as Record<string, unknown>),
        selection,
        startAt: checkStartAt(startAt),
      },
      dryRun,
      token,
      idempotencyKey,
    );
    return {
      plan: {
        ...answer.plan,
        groups: answer.plan.groups.map((group) => ({
          ...group,
          outcome: group.outcome as BulkOutcome,
          reason: group.code ? reasonText(group.code, ctx.language) : null,
        })),
        invalidLines: answer.plan.invalidLines.map((line) => ({ ...line, reason: reasonText(line.code, ctx.language) })),
      },
      operation: answer.operation ? toBulkOperation(answer.operation) : null,
    };
  }

  @Mutation(() => BulkOperationType, {
    description: 'Pauses a running fleet operation: no more numbers are handed over; those in process finish. CONFLICT when not running.',
  })
  async pauseBulkOperation(@Arg('id', () => ID, { description: 'Global ID of the fleet operation.' }) id: string, @Ctx() ctx: Context) {
    return toBulkOperation(await bulkService.pause(ctx, bulkDbId(id)));
  }

  @Mutation(() => BulkOperationType, { description: 'Resumes a paused fleet operation. CONFLICT when not paused.' })
  async resumeBulkOperation(@Arg('id', () => ID, { description: 'Global ID of the fleet operation.' }) id: string, @Ctx() ctx: Context) {
    return toBulkOperation(await bulkService.resume(ctx, bulkDbId(id)));
  }

  @Mutation(() => BulkOperationType, {
    description: 'Cancels a fleet operation: numbers not yet handed over are CANCELLED, those in process finish. CONFLICT once it has ended.',
  })
  async cancelBulkOperation(@Arg('id', () => ID, { description: 'Global ID of the fleet operation.' }) id: string, @Ctx() ctx: Context) {
    return toBulkOperation(await bulkService.cancel(ctx, bulkDbId(id)));
  }

  @Mutation(() => BulkOperationType, {
    description:
      'Moves an operation that has not started (SCHEDULED or AWAITING_APPROVAL) to another start time. SCHEDULE_IN_PAST for a passed time; CONFLICT once it has started or ended.',
  })
  async rescheduleBulkOperation(
    @Arg('id', () => ID, { description: 'Global ID of the fleet operation.' }) id: string,
    @Arg('startAt', () => GraphQLDateTime, { description: 'The new start: a date and time (the portal sends Asia/Almaty’s with its offset).' })
    startAt: Date,
    @Ctx() ctx: Context,
  ) {
    await rescheduleBulkOperation(ctx, bulkDbId(id), startAt);
    return toBulkOperation(await bulkService.get(ctx, bulkDbId(id)));
  }

  @Mutation(() => BulkOperationType, {
    description:
      'Approves an operation waiting for a second administrator (four eyes): it starts, or waits for its start time. Administrators only; SELF_APPROVAL for your own request (or one made with a key you created), APPROVAL_EXPIRED after 24 hours, CONFLICT once decided.',
  })
  async approveBulkOperation(
    @Arg('id', () => ID, { description: 'Global ID of the fleet operation.' }) id: string,
    @Arg('comment', () => String, { nullable: true, description: 'Up to 1,000 characters, kept with the decision and in the actions history.' })
    comment: string | null,
    @Ctx() ctx: Context,
  ) {
    await decideBulkOperation(ctx, bulkDbId(id), true, comment);
    return toBulkOperation(await bulkService.get(ctx, bulkDbId(id)));
  }

  @Mutation(() => BulkOperationType, {
    description:
      'Rejects an operation waiting for a second administrator, with the reason: none of its numbers is changed. The same refusals as approveBulkOperation.',
  })
  async rejectBulkOperation(
    @Arg('id', () => ID, { description: 'Global ID of the fleet operation.' }) id: string,
    @Arg('comment', () => String, { description: 'Why, up to 1,000 characters: the requester reads it.' }) comment: string,
    @Ctx() ctx: Context,
  ) {
    await decideBulkOperation(ctx, bulkDbId(id), false, comment);
    return toBulkOperation(await bulkService.get(ctx, bulkDbId(id)));
  }

  @Mutation(() => DownloadType, { description: 'The results per number (status and reason) as a CSV or XLSX file, streamed when fetched.' })
  async bulkResultsDownload(
    @Arg('id', () => ID, { description: 'Global ID of the fleet operation.' }) id: string,
    @Arg('format', () => BulkResultsFormat, { description: 'CSV or XLSX.' }) format: BulkResultsFormat,
    @Ctx() ctx: Context,
  ): Promise<DownloadType> {
    return resultsDownload(ctx, bulkDbId(id), format);
  }

  @FieldResolver(() => BulkCountsType, { description: 'Its numbers by status.' })
  async counts(@Root() bulk: BulkOperationType, @Ctx() ctx: Context): Promise<BulkCountsType> {
    const c = await bulkService.counts(ctx, bulk.dbId);
    return { pending: c.PENDING, inProcess: c.IN_PROCESS, success: c.SUCCESS, failure: c.FAILURE, skipped: c.SKIPPED, cancelled: c.CANCELLED };
  }

  @FieldResolver(() => Float, { nullable: true, description: 'Numbers finished per second over the last 10 seconds; null when none.' })
  rate(@Root() bulk: BulkOperationType, @Ctx() ctx: Context): Promise<number | null> {
    return bulkService.rate(ctx, bulk.dbId);
  }

  @FieldResolver(() => GraphQLDateTime, { nullable: true, description: 'When it should end at the current rate; null when it is not running.' })
  async estimatedEndAt(@Root() bulk: BulkOperationType, @Ctx() ctx: Context): Promise<Date | null> {
    if (bulk.status !== BulkOperationStatus.RUNNING) return null;
    const [rate, c] = await Promise.all([bulkService.rate(ctx, bulk.dbId), bulkService.counts(ctx, bulk.dbId)]);
    if (!rate) return null;
    return new Date(Date.now() + ((c.PENDING + c.IN_PROCESS) / rate) * 1000);
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may approve or reject it now (another administrator of the company, while it awaits approval).' })
  canDecide(@Root() bulk: BulkOperationType, @Ctx() ctx: Context): boolean {
    return (
      bulk.status === BulkOperationStatus.AWAITING_APPROVAL &&
      ctx.principal.kind === 'administrator' &&
      ctx.principal.companyIds.has(bulk.companyId) &&
      ctx.principal.administratorId !== bulk.requesterId
    );
  }

  @FieldResolver(() => BulkItemConnection, { description: 'Its numbers in selection order, with how each went.' })
  async items(@Root() bulk: BulkOperationType, @Args() { first, after, status }: BulkItemsArgs, @Ctx() ctx: Context) {
    const page = await bulkService.items(ctx, bulk.dbId, first, after, status);
    return mapNodes(page, toItem);
  }
}

@Resolver(() => BulkItemType)
export class BulkItemResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Why it was skipped, failed or cancelled, in your language.' })
  reason(@Root() item: BulkItemType, @Ctx() ctx: Context): string | null {
    return item.reasonCode ? reasonText(item.reasonCode, ctx.language) : null;
  }

  @FieldResolver(() => NumberType, { description: 'The number now.' })
  number(@Root() item: BulkItemType, @Ctx() ctx: Context): Promise<NumberType> {
    return numberService.get(ctx, item.numberId);
  }

  @FieldResolver(() => OperationType, { nullable: true, description: 'The operation submitted to the billing system for it, once handed over.' })
  async operation(@Root() item: BulkItemType, @Ctx() ctx: Context): Promise<OperationType | null> {
    if (!item.operationId) return null;
    const row = await operationService.byId(ctx, item.operationId);
    return row ? toOperation(row) : null;
  }
}

@Resolver()
export class BulkSubscriptionResolver {
  @Subscription(() => BulkOperationChangeType, {
    description:
      'Fleet operations of the company as they progress (counts, rate, estimated end; at most about 3 events a second per operation) and change status (always).',
    subscribe: (({ args, context }: { args: { companyId: string; after?: string | null }; context: Context }) =>
      eventService.follow(context, fromGlobalId('Company', args.companyId, 'companyId'), [BULK_OPERATION_CHANGED], args.after)) as never,
  })
  async bulkOperationChanged(
    @Root() event: CabinetEvent,
    @Arg('companyId', () => ID, { description: 'Global ID of the company.' }) _companyId: string,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The `cursor` of the last event you have: the events since then come first, then live ones, none twice.',
    })
    _after: string | null,
    @Ctx() ctx: Context,
  ): Promise<BulkOperationChangeType> {
    const row = await bulkService.get(ctx, String(event.payload.bulkOperationId));
    return { sequence: event.sequence, cursor: eventCursor(event.companyId!, event.position), operation: toBulkOperation(row) };
  }
}
