import { publishEvent } from '../core/events';
import { toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { eventLog } from '../core/event-log';

const EVENTS = `query($c: ID!, $after: String, $types: [EventType!], $first: Int) {
  events(companyId: $c, after: $after, types: $types, first: $first) {
    edges { cursor node { cursor type sequence occurredAt numberId operationId bulkOperationId state } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(ENGINES)('the events query on %s', (engine) => {
  let t: TestApp;
  let companyId: number;
  let otherCompanyId: number;
  let numberIds: number[];

  beforeAll(async () => {
    t = await startTestApp(engine, { jobs: { runWorker: false } });
    const companies = await t.db.dataSource.query(`SELECT id FROM billing.companies ORDER BY id`);
    [companyId, otherCompanyId] = companies.map((row: { id: number }) => row.id);
    numberIds = (await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY id LIMIT 3`, [companyId])).map(
      (row: { id: number }) => row.id,
    );
  });
  afterAll(() => t.close());

  const numberChanged = (company: number, numberId: number, state = 'ACTIVE') =>
    publishEvent(t.db.dataSource, { topic: 'NUMBER_CHANGED', companyId: company, payload: { numberId, state } });
  const page = async (variables: Record<string, unknown>, company = companyId) => {
    const res = await t.gql(EVENTS, { c: toGlobalId('Company', company), ...variables });
    expect(res.errors).toBeUndefined();
    return res.data!.events;
  };
  const end = async () => (await page({ first: 100 })).pageInfo.endCursor as string;

  it('pages a company’s events oldest first, and its last page ends at the end of the log', async () => {
    const start = await end();
    for (const numberId of numberIds) await numberChanged(companyId, numberId);
    const first = await page({ after: start, first: 2 });
    expect(first.edges.map((e: any) => e.node.numberId)).toEqual(numberIds.slice(0, 2).map((id) => toGlobalId('Number', id)));
    expect(first.edges[0]).toMatchObject({ node: { type: 'NUMBER_CHANGED', state: 'ACTIVE' } });
    expect(first.edges[0].cursor).toBe(first.edges[0].node.cursor);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1].cursor });
    const second = await page({ after: first.pageInfo.endCursor, first: 2 });
    expect(second.edges.map((e: any) => e.node.numberId)).toEqual([toGlobalId('Number', numberIds[2])]);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: second.edges[0].cursor });
    const empty = await page({ after: second.pageInfo.endCursor });
    expect(empty).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: second.pageInfo.endCursor } });
  });

  it('gives only the types asked for, and a last page’s end past the events of other types', async () => {
    const start = await end();
    await numberChanged(companyId, numberIds[0]);
    await publishEvent(t.db.dataSource, { topic: 'OPERATION_CHANGED', companyId, payload: { operationId: '77', numberId: numberIds[0] } });
    await numberChanged(companyId, numberIds[1]);
    const operations = await page({ after: start, types: ['OPERATION_CHANGED'] });
    expect(operations.edges.map((e: any) => e.node)).toMatchObject([{ type: 'OPERATION_CHANGED', operationId: toGlobalId('Operation', '77') }]);
    expect(operations.pageInfo.endCursor).toBe(await end());
  });

  it('logs a fleet operation’s progress as BULK_OPERATION_CHANGED with the operation’s global ID', async () => {
    const start = await end();
    await publishEvent(t.db.dataSource, { topic: 'BULK_OPERATION_CHANGED', companyId, payload: { bulkOperationId: '12' } });
    const fleet = await page({ after: start, types: ['BULK_OPERATION_CHANGED'] });
    expect(fleet.edges.map((e: any) => e.node)).toMatchObject([
      { type: 'BULK_OPERATION_CHANGED', bulkOperationId: toGlobalId('BulkOperation', '12'), numberId: null, operationId: null },
    ]);
  });

  it('does not mix in another company’s events', async () => {
    const start = await end();
    await numberChanged(otherCompanyId, 1);
    await numberChanged(companyId, numberIds[0]);
    expect((await page({ after: start })).edges).toHaveLength(1);
  });

  it('refuses another company’s events with NOT_FOUND, and a cursor of another company with BAD_USER_INPUT', async () => {
    const outsider = await createAdministrator(t.db, { companyIds: [otherCompanyId] });
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: outsider.phone, w: TEST_PASSWORD });
    const refused = await t.request(EVENTS, { c: toGlobalId('Company', companyId) }, { cookie: sessionCookie(login.headers) });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(refused.data?.events ?? null).toBeNull();
    const theirs = (await page({}, otherCompanyId)).pageInfo.endCursor;
    const mixed = await t.gql(EVENTS, { c: toGlobalId('Company', companyId), after: theirs });
    expect(mixed.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a cursor older than the retention with CURSOR_EXPIRED, and pages on from a kept one', async () => {
    const start = await end();
    await numberChanged(companyId, numberIds[0]);
    const { edges } = await page({ after: start });
    await numberChanged(companyId, numberIds[1]);
    // Every event of the company but the last is past the retention.
    await t.db.dataSource.query(
      `UPDATE cabinet.events SET created_at = now() - interval '31 days' WHERE company_id = $1 AND id < (SELECT max(id) FROM cabinet.events WHERE company_id = $1)`,
      [companyId],
    );
    await eventLog.prune(t.db.dataSource, 30);
    const expired = await t.gql(EVENTS, { c: toGlobalId('Company', companyId), after: start });
    expect(expired.errors?.map((e) => e.extensions?.code)).toEqual(['CURSOR_EXPIRED']);
    const kept = await page({ after: edges[0].cursor });
    expect(kept.edges.map((e: any) => e.node.numberId)).toEqual([toGlobalId('Number', numberIds[1])]);
  });

  it('logs the events of an operation in the transaction that accepts it', async () => {
    const start = await end();
    const res = await t.gql('mutation($n: ID!) { blockNumber(numberId: $n) { id } }', { n: toGlobalId('Number', numberIds[2]) });
    expect(res.errors).toBeUndefined();
    const { edges } = await page({ after: start });
    expect(edges.map((e: any) => e.node)).toMatchObject([
      { type: 'OPERATION_CHANGED', operationId: res.data!.blockNumber.id, numberId: toGlobalId('Number', numberIds[2]) },
      { type: 'NUMBER_CHANGED', numberId: toGlobalId('Number', numberIds[2]), state: 'IN_PROCESS' },
    ]);
  });
});
