import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ActionStatus } from '../common/actions';
import type { Context } from '../core/context';
import { mapNodes } from '../core/paging';
import { fromGlobalId, toGlobalId } from '../core/ids';
import { NumberType, numberService } from '../numbers';
import type { OperationStatus } from './operation.entity';
import { allowedOperations, OPERATION_KINDS, operationDefinition, tariffChoicesByNumber } from './operation.catalogue';
import { localize } from '../core/language';
import { operationService, type OperationRequest, type OperationRow } from './operation.service';
import { failureCodeOf, failureText, type BillingFailureCode } from '../billing';
import { OperationConnection, OperationFailureCode, OperationKindEnum, OperationType, TariffChoiceType } from './operation.type';

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
  description:
    'Any string of yours, up to 100 characters, unique per intended operation: repeating a request with the same key returns the first operation instead of starting another.',
};

@Resolver(() => OperationType)
export class OperationResolver {
  submit(ctx: Context, numberId: string, request: OperationRequest, key?: string | null) {
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
    return mapNodes(page, toOperation);
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
}

/**
 * One mutation per kind of the catalogue, on OperationResolver: `numberId`, the kind's arguments, `idempotencyKey`.
 * Each unpacks its arguments into the kind's input and submits it, like any thin resolver method.
 */
for (const kind of OPERATION_KINDS) {
  const { mutation, input } = operationDefinition(kind);
  const name = `${mutation.name[0].toUpperCase()}${mutation.name.slice(1)}Args`;
  const ArgsClass = { [name]: class {} }[name];
  ArgsType()(ArgsClass);
  Field(() => ID, NUMBER_ID)(ArgsClass.prototype, 'numberId');
  for (const [field, arg] of Object.entries(mutation.args)) {
    Field(arg.type as () => never, { description: arg.description, nullable: arg.nullable ?? false })(ArgsClass.prototype, field);
  }
  Field(() => String, KEY)(ArgsClass.prototype, 'idempotencyKey');

  const method = function (this: OperationResolver, { numberId, idempotencyKey, ...args }: Record<string, unknown>, ctx: Context) {
    return this.submit(ctx, numberId as string, { kind, ...input(args) } as OperationRequest, idempotencyKey as string | null);
  };
  Object.defineProperty(OperationResolver.prototype, mutation.name, { value: method, writable: true, configurable: true });
  const descriptor = Object.getOwnPropertyDescriptor(OperationResolver.prototype, mutation.name)!;
  Args(() => ArgsClass)(OperationResolver.prototype, mutation.name, 0);
  Ctx()(OperationResolver.prototype, mutation.name, 1);
  Mutation(() => OperationType, { name: mutation.name, description: mutation.description })(OperationResolver.prototype, mutation.name, descriptor);
}

@Resolver(() => NumberType)
export class NumberOperationsResolver {
  @FieldResolver(() => [OperationKindEnum], { description: 'Operations the number’s state allows now: what its quick-operations menu offers.' })
  allowedOperations(@Root() number: NumberType): OperationKindEnum[] {
    return allowedOperations(number.state) as OperationKindEnum[];
  }

  @FieldResolver(() => [TariffChoiceType], { description: 'Tariff plans the number’s company may move it to, cheapest first (changeTariff).' })
  async tariffChoices(@Root() number: NumberType, @Ctx() ctx: Context): Promise<TariffChoiceType[]> {
    const rows = await ctx.loader(tariffChoicesByNumber).load(number.dbId);
    return rows.map((row) => ({
      id: toGlobalId('Tariff', row.id),
      code: row.code,
      name: localize(row.name, ctx.language),
      monthlyFee: BigInt(row.monthlyFee),
    }));
  }
}
