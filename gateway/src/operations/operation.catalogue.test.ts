import { buildGatewaySchema } from '../graphql/schema';
import { ActionCode } from '../actions/action-log.type';
import { startTestApp, type TestApp } from '../test/app';
import { OPERATION_KINDS, operationDefinition } from './operation.catalogue';

describe('the catalogue of operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('mercurius', { jobs: { runWorker: false } });
  });
  afterAll(() => t.close());

  it('is the database’s list of operation kinds', async () => {
    const [{ kinds }] = await t.db.dataSource.query(`SELECT enum_range(NULL::cabinet.operation_kind)::text[] AS kinds`);
    expect([...kinds].sort()).toEqual([...OPERATION_KINDS].sort());
  });

  it('gives every kind a mutation taking the number, its arguments and an idempotency key', () => {
    const mutations = buildGatewaySchema().getMutationType()!.getFields();
    for (const kind of OPERATION_KINDS) {
      const { mutation } = operationDefinition(kind);
      expect(mutations[mutation.name]?.args.map((arg) => arg.name)).toEqual(['numberId', ...Object.keys(mutation.args), 'idempotencyKey']);
      expect(String(mutations[mutation.name].type)).toBe('Operation!');
    }
  });

  it('makes every kind an action of the history', () => {
    expect(OPERATION_KINDS.filter((kind) => !(Object.values(ActionCode) as string[]).includes(kind))).toEqual([]);
  });
});
