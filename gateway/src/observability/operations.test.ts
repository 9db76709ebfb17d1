import { ENGINES, startTestApp, type TestApp } from '../test/app';

describe.each(ENGINES)('operational endpoints on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { seed: false });
  });
  afterAll(() => t.close());

  it('reports liveness and readiness', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready while a migration is pending', async () => {
    const [[last]] = await t.db.dataSource.query(`DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING timestamp, name`);
    try {
      const ready = await t.app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
    } finally {
      await t.db.dataSource.query(`INSERT INTO migrations (timestamp, name) VALUES ($1, $2)`, [last.timestamp, last.name]);
    }
  });

  it('reports a number left In process with no operation running, in the readiness details and the metrics', async () => {
    const [company] = await t.db.dataSource.query(`INSERT INTO billing.companies (bin, name) VALUES ('222222222222', 'Stuck') RETURNING id`);
    const [account] = await t.db.dataSource.query(
      `INSERT INTO billing.accounts (company_id, account_no, payment_method) VALUES ($1, '90000002', 'ADVANCE') RETURNING id`,
      [company.id],
    );
    const [tariff] = await t.db.dataSource.query(`INSERT INTO billing.tariffs (code, name) VALUES ('STUCK', '{"en":"S","ru":"S","kk":"S"}') RETURNING id`);
    const number = async (msisdn: string, changedAgo: string) => {
      const [row] = await t.db.dataSource.query(
        `INSERT INTO billing.numbers (msisdn, company_id, account_id, tariff_id, state, state_changed_at, registration_form)
         VALUES ($1, $2, $3, $4, 'IN_PROCESS', now() - $5::interval, 'CORPORATE') RETURNING id`,
        [msisdn, company.id, account.id, tariff.id, changedAgo],
      );
      return row.id as number;
    };
    const stuck = await number('77015694680', '1 hour');
    const working = await number('77015694681', '1 hour');
    await number('77015694682', '1 second');
    await t.db.dataSource.query(`INSERT INTO cabinet.operations (company_id, number_id, kind) VALUES ($1, $2, 'BLOCK_NUMBER')`, [company.id, working]);
    try {
      const ready = await t.app.inject('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', details: { numbersStuckInProcess: { count: 1, msisdns: ['77015694680'] } } });
      expect((await t.app.inject('/metrics')).body).toMatch(/^cabinet_numbers_stuck_in_process 1$/m);
    } finally {
      await t.db.dataSource.query(`DELETE FROM cabinet.operations WHERE number_id = $1`, [working]);
      await t.db.dataSource.query(`UPDATE billing.numbers SET state = 'ACTIVE' WHERE company_id = $1`, [company.id]);
    }
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
    expect((await t.app.inject('/metrics')).body).toMatch(/^cabinet_numbers_stuck_in_process 0$/m);
    expect(stuck).toBeGreaterThan(0);
  });

  it('exposes request, error and pool metrics for Prometheus', async () => {
    await t.gql('query CompanyList { companies { id } }');
    await t.gql('query Broken { company(id: "x") { id } }');
    // Requests are counted when their response has gone out, just after inject resolves.
    let text = '';
    for (let i = 0; i < 50 && !text.includes('operation="Broken"'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      text = (await t.app.inject('/metrics')).body;
    }
    expect(text).toMatch(/cabinet_graphql_requests_total\{operation="CompanyList",engine="[a-z]+"\} 1/);
    expect(text).toMatch(/cabinet_graphql_request_duration_seconds_count\{operation="CompanyList"\} 1/);
    expect(text).toMatch(/cabinet_graphql_errors_total\{code="BAD_USER_INPUT"\} 1/);
    expect(text).toMatch(/cabinet_db_pool_connections\{state="total"\} \d+/);
  });

  it('echoes or assigns a request id', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const assigned = await t.app.inject('/healthz');
    expect(assigned.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves GraphiQL from local assets', async () => {
    const page = await t.app.inject('/graphiql');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/graphiql/assets/graphiql.js');
    const script = await t.app.inject('/graphiql/assets/graphiql.js');
    expect(script.statusCode).toBe(200);
    expect(script.body.length).toBeGreaterThan(100_000);
  });
});
