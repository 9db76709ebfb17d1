import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync, type NonEmptyArray } from 'type-graphql';
import { ActionLogResolver, CompanyActionsResolver, NumberActionsResolver } from '../actions';
import { AccountResolver, CompanyResolver } from '../companies';
import { NumberResolver } from '../numbers';
import { NumberPaymentsResolver } from '../payments';
import { NumberServicesResolver } from '../services';
import { NumberTariffResolver } from '../tariffs';
import { NumberUsageResolver } from '../usage';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers: NonEmptyArray<Function> = [
  CompanyResolver,
  AccountResolver,
  NumberResolver,
  NumberTariffResolver,
  NumberServicesResolver,
  NumberPaymentsResolver,
  NumberUsageResolver,
  CompanyActionsResolver,
  NumberActionsResolver,
  ActionLogResolver,
];

let built: GraphQLSchema | undefined;

/** The one schema object both engines serve. */
export function buildGatewaySchema(): GraphQLSchema {
  if (!built) {
    built = buildSchemaSync({ resolvers, validate: false });
    built.getQueryType()!.description =
      'Reads. Every list is a Relay connection of at most 100 items a page; every ID is an opaque global ID.';
  }
  return built;
}

/** The SDL as committed to schema/schema.graphql: sorted, so that diffs show real changes only. */
export function printGatewaySchema(schema: GraphQLSchema = buildGatewaySchema()): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
