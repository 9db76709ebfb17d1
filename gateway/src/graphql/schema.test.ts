import { readFileSync } from 'node:fs';
import { isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';
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
});
