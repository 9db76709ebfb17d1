import { readFileSync } from 'node:fs';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@cabinet/schema/rules';
import { isInputObjectType, isObjectType, type GraphQLObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { AccountRow } from '../billing';
import { AccountType, PaymentMethod } from '../companies';
import type { Context } from '../core/context';
import { PrimedLoader } from '../core/loaders';
import { NumberType } from '../numbers';
import { SCHEMA_FILE } from './emit-schema.cli';
import { buildGatewaySchema, printGatewaySchema } from './schema';

describe('the GraphQL schema', () => {
  let schema: GraphQLSchema;
  beforeAll(() => {
    schema = buildGatewaySchema();
  });

  it('is committed as schema/schema.graphql exactly as the code emits it (run `npm run schema` after a change)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printGatewaySchema(schema));
  });

  it('describes every type, field and argument for partners', () => {
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('states the page sizes the API enforces wherever a list takes `first`', () => {
    const stated = `1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`;
    const misstated: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const first = field.args.find((arg) => arg.name === 'first');
        if (first && !first.description?.includes(stated)) misstated.push(`${type.name}.${field.name}(first): ${first.description}`);
      }
    }
    expect(misstated).toEqual([]);
    const readme = readFileSync(SCHEMA_FILE.replace(/schema\.graphql$/, 'README.md'), 'utf8');
    expect(readme).toContain(`\`first\` (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE})`);
  });
});

describe('field resolvers of resolver classes', () => {
  const row: AccountRow = { id: 7, companyId: 3, accountNo: '2506083100', paymentMethod: PaymentMethod.CREDIT, creditLimit: '150000' };
  const accounts = new PrimedLoader<number, AccountRow | null>(async (ids) => ids.map(() => null)).prime(row.id, row);
  const context = { loader: () => accounts } as unknown as Context;
  const resolve = (parent: unknown) => {
    const field = (buildGatewaySchema().getType('Number') as GraphQLObjectType).getFields().account;
    return field.resolve!(parent, {}, context, {} as GraphQLResolveInfo);
  };

  it('call the method with the parent and the context, answering at once what the request has read', () => {
    const number = Object.assign(new NumberType(), { accountId: 7 });
    expect(resolve(number)).toEqual(AccountType.from(row));
  });

  it('hand a parent of another class to type-graphql, which makes it one of the class first', async () => {
    expect(await resolve({ accountId: 7 })).toEqual(AccountType.from(row));
  });
});
