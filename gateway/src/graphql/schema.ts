import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchemaSync, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import { ActionLogResolver, CompanyActionsResolver, NumberActionsResolver } from '../actions';
import { ApiKeyResolver } from '../api-keys';
import { AuthResolver } from '../auth/auth.resolver';
import { AccountResolver, CompanyResolver } from '../companies';
import { AccountDocumentsResolver, CompanyReportsResolver, DocumentResolver, ReportSubscriptionResolver } from '../documents';
import { EventResolver } from '../events';
import { NumberResolver } from '../numbers';
import { NumberOperationsResolver, OperationResolver, OperationSubscriptionResolver } from '../operations';
import { CompanyPaymentsResolver, NumberPaymentsResolver } from '../payments';
import { NumberServicesResolver } from '../services';
import { NumberTariffResolver } from '../tariffs';
import { ProfileResolver } from '../profile';
import { NumberUsageResolver } from '../usage';
import { RateLimitResolver } from './rate-limit.resolver';
import { WebhookResolver } from '../webhooks';
import { SandboxResolver } from '../sandbox';
import { BulkItemResolver, BulkOperationResolver, BulkSubscriptionResolver, BulkUploadResolver } from '../bulk';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers: NonEmptyArray<Function> = [
  CompanyResolver,
  AccountResolver,
  NumberResolver,
  NumberTariffResolver,
  NumberServicesResolver,
  NumberPaymentsResolver,
  CompanyPaymentsResolver,
  DocumentResolver,
  CompanyReportsResolver,
  AccountDocumentsResolver,
  ReportSubscriptionResolver,
  NumberUsageResolver,
  CompanyActionsResolver,
  NumberActionsResolver,
  ActionLogResolver,
  AuthResolver,
  ProfileResolver,
  ApiKeyResolver,
  OperationResolver,
  NumberOperationsResolver,
  OperationSubscriptionResolver,
  EventResolver,
  RateLimitResolver,
  WebhookResolver,
  SandboxResolver,
  BulkOperationResolver,
  BulkItemResolver,
  BulkSubscriptionResolver,
  BulkUploadResolver,
];

let built: GraphQLSchema | undefined;

/**
 * Plain fields — a property of the object, read as it is, with no middleware or role of their own — are left to the
 * engines' default resolver, as type-graphql's `simple` option does: otherwise type-graphql wraps each in a resolver
 * of its own, a closure call and an object per field and row, where graphql-jit reads a plain field inline. A field
 * with a resolver method, a middleware or a role, or named apart from its property, keeps type-graphql's resolver.
 */
function leavePlainFieldsToTheEngines(): void {
  const storage = getMetadataStorage();
  const wrapped = (field: { target: unknown; name: string }) =>
    [...storage.middlewares, ...storage.authorizedFields].some((m) => m.target === field.target && m.fieldName === field.name);
  for (const field of storage.fields) {
    if (field.simple === undefined && field.name === field.schemaName && !wrapped(field)) field.simple = true;
  }
}

/**
 * A resolver class's field resolver that takes nothing but the parent object, the context and the info, and has no
 * middleware or role, is called as the method it is. type-graphql's own resolver sorts the method's parameters
 * afresh, maps them into a new array and builds a resolver-data object on every call: on a list that is once per
 * field and row (the numbers page's account and tariff made a fifth of its allocations). A parent object that is not
 * of the class the method declares is handed to type-graphql's resolver, which converts it as before; anything with
 * arguments keeps type-graphql's resolver, which converts and checks them.
 */
function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<unknown, Record<string, (...args: unknown[]) => unknown>>();
  for (const resolver of storage.fieldResolvers) {
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    const plain = params.every((p) => p.kind === 'root' || p.kind === 'context' || p.kind === 'info');
    if (resolver.kind !== 'external' || !plain || resolver.middlewares?.length || resolver.roles?.length) continue;
    const objectType = storage.objectTypes.find((t) => t.target === resolver.getObjectType?.());
    const type = objectType && schema.getType(objectType.name);
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!field?.resolve) continue;
    const fallback: GraphQLFieldResolver<unknown, unknown> = field.resolve;
    if (!instances.has(resolver.target)) instances.set(resolver.target, new (resolver.target as new () => never)());
    const instance = instances.get(resolver.target)!;
    const method = instance[resolver.methodName];
    const rootParam = params.find((p) => p.kind === 'root');
    const declared: unknown = rootParam?.kind === 'root' ? rootParam.getType?.() : undefined;
    const rootClass = typeof declared === 'function' ? declared : undefined;
    type Bag = Record<string, unknown> | undefined;
    const pick = params.map((p): ((root: unknown, context: unknown, info: unknown) => unknown) => {
      if (p.kind === 'root') return p.propertyName ? (root) => (root as Bag)?.[p.propertyName!] : (root) => root;
      if (p.kind === 'context') return p.propertyName ? (_root, context) => (context as Bag)?.[p.propertyName!] : (_root, context) => context;
      return (_root, _context, info) => info;
    });
    // Most take the parent object alone, or it and the context: they are called without an array of arguments.
    const [first, second] = pick;
    const call: (root: unknown, context: unknown, info: unknown) => unknown =
      pick.length === 1
        ? (root, context, info) => method.call(instance, first(root, context, info))
        : pick.length === 2
          ? (root, context, info) => method.call(instance, first(root, context, info), second(root, context, info))
          : (root, context, info) =>
              method.apply(
                instance,
                pick.map((value) => value(root, context, info)),
              );
    field.resolve = (root, args, context, info) => {
      if (rootClass && !(root instanceof rootClass)) return fallback(root, args, context, info);
      return call(root, context, info);
    };
  }
}

/** The one schema object both engines serve. */
export function buildGatewaySchema(): GraphQLSchema {
  if (!built) {
    // Every subscription brings its own `subscribe` over the PostgreSQL event bus; type-graphql still wants a
    // pubSub for topic-based ones, of which there are none.
    leavePlainFieldsToTheEngines();
    built = buildSchemaSync({ resolvers, validate: false, pubSub: createPubSub() });
    callFieldResolversDirectly(built);
    built.getQueryType()!.description = 'Reads. Every list is a Relay connection of at most 100 items a page; every ID is an opaque global ID.';
    built.getMutationType()!.description = 'Changes. Only POST with a JSON body; each is checked against the caller’s company grants.';
    built.getSubscriptionType()!.description =
      'Live changes over graphql-ws on /graphql, authorized at connection_init by the session cookie or a partner key.';
  }
  return built;
}

/** The SDL as committed to schema/schema.graphql: sorted, so that diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema = buildGatewaySchema()): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
