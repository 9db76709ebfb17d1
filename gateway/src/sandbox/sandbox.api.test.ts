import { API_KEY_BUDGET } from '../api-keys';
import { DEMO_FREE_ICCIDS } from '../db/seed/seed';
import { fromGlobalId, toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../test/app';

const CREATE = `mutation($c: ID!, $s: ApiKeyScope!) { createSandboxKey(companyId: $c, name: "Sandbox ERP", scope: $s) {
  sandbox { companyId name delayMs failures { msisdn iccid failureCode } freeIccids } apiKey { id scope } secret } }`;
const NUMBERS = 'query($c: ID!) { numbers(companyId: $c, first: 100) { edges { node { id msisdn state connectedServices { service { code } } } } } }';
const OPERATIONS = 'query($c: ID!) { operations(companyId: $c, first: 100) { edges { node { id status failureCode finishedAt } } } }';

interface Sandbox {
  companyId: string;
  name: string;
  delayMs: number;
  failures: { msisdn: string | null; iccid: string | null; failureCode: string }[];
  freeIccids: string[];
}

describe.each(ENGINES)('sandbox companies on %s', (engine) => {
  let t: TestApp;
  let company: string;
  let realNumber: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { jobs: { billingDelayMs: 0 } });
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    company = toGlobalId('Company', row.id);
    const [number] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 1`, [row.id]);
    realNumber = toGlobalId('Number', number.id);
  });
  afterAll(() => t.close());

  const newSandbox = async (scope = 'OPERATE') => {
    const res = await t.gql(CREATE, { c: company, s: scope });
    expect(res.errors).toBeUndefined();
    return res.data!.createSandboxKey as { sandbox: Sandbox; apiKey: { id: string; scope: string }; secret: string };
  };
  const as = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const numbersOf = async (sandbox: Sandbox, secret: string) => {
    const res = await t.request(NUMBERS, { c: sandbox.companyId }, as(secret));
    expect(res.errors).toBeUndefined();
    return res.data!.numbers.edges.map((e: any) => e.node) as { id: string; msisdn: string; state: string; connectedServices: unknown[] }[];
  };
  // Waits on the database (polling with the key would spend its budget), then reads the outcome with the key.
  const finished = async (companyId: string, secret: string, operationId: string) => {
    for (let i = 0; i < 400; i++) {
      const [row] = await t.db.dataSource.query(`SELECT status FROM cabinet.operations WHERE id = $1`, [
        Buffer.from(operationId, 'base64url').toString().split(':')[1],
      ]);
      if (row && row.status !== 'IN_PROCESS') {
        const res = await t.request(OPERATIONS, { c: companyId }, as(secret));
        return res.data!.operations.edges.map((e: any) => e.node).find((o: any) => o.id === operationId);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('operation did not finish');
  };
  const block = async (numberId: string, secret: string) => {
    const res = await t.request('mutation($n: ID!) { blockNumber(numberId: $n) { id status } }', { n: numberId }, as(secret));
    expect(res.errors).toBeUndefined();
    return res.data!.blockNumber.id as string;
  };
  const code = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;

  it('creates a sandbox company with a generated fleet of 20 numbers and a key that reaches it', async () => {
    const { sandbox, apiKey, secret } = await newSandbox();
    expect(sandbox.name).toBe('Sandbox of TOO Кабинет');
    expect(sandbox.delayMs).toBe(0);
    expect(apiKey.scope).toBe('OPERATE');
    const companies = await t.request('{ companies { id name } }', {}, as(secret));
    expect(companies.data!.companies).toEqual([{ id: sandbox.companyId, name: sandbox.name }]);
    const numbers = await numbersOf(sandbox, secret);
    expect(numbers).toHaveLength(20);
    expect(numbers.every((n) => /^7000\d{5}(0[1-9]|1\d|20)$/.test(n.msisdn) && n.state === 'ACTIVE')).toBe(true);
    expect(numbers.some((n) => n.connectedServices.length > 0)).toBe(true);
    expect(sandbox.failures.map((f) => f.failureCode)).toEqual(['NEGATIVE_BALANCE', 'INSUFFICIENT_FUNDS', 'INSUFFICIENT_FUNDS_FOR_TARIFF', 'SIM_NOT_FREE']);
    expect(sandbox.failures.slice(0, 3).map((f) => f.msisdn!.slice(-2))).toEqual(['18', '19', '20']);
    const usage = await t.request('query($n: ID!) { number(id: $n) { usage(first: 5) { edges { node { cost } } } } }', { n: numbers[0].id }, as(secret));
    expect(usage.data!.number.usage.edges.length).toBeGreaterThan(0);
  });

  it('keeps sandbox keys out of real companies, and sandboxes out of administrators’ lists', async () => {
    const { sandbox, secret } = await newSandbox();
    expect(code(await t.request(NUMBERS, { c: company }, as(secret)))).toBe('NOT_FOUND');
    expect(code(await t.request('query($n: ID!) { number(id: $n) { msisdn } }', { n: realNumber }, as(secret)))).toBe('NOT_FOUND');
    expect(code(await t.request('mutation($n: ID!) { blockNumber(numberId: $n) { id } }', { n: realNumber }, as(secret)))).toBe('NOT_FOUND');
    expect(code(await t.request(CREATE, { c: sandbox.companyId, s: 'READ' }, as(secret)))).toBe('FORBIDDEN');

    const companies = await t.gql('{ companies { id } }');
    expect(companies.data!.companies.map((c: { id: string }) => c.id)).not.toContain(sandbox.companyId);
    expect(companies.data!.companies.length).toBeGreaterThan(0);
    // Its owner's administrator manages the sandbox, but reads no data of it: that is the sandbox keys' world.
    expect(code(await t.gql(NUMBERS, { c: sandbox.companyId }))).toBe('NOT_FOUND');
    const owned = await t.gql('query($c: ID!) { sandboxes(companyId: $c) { companyId apiKeys { scope } } }', { c: company });
    expect(owned.data!.sandboxes.map((s: { companyId: string }) => s.companyId)).toContain(sandbox.companyId);

    // An administrator of another company learns nothing of it.
    const [branch] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'Филиал TOO Кабинет'`);
    const other = await createAdministrator(t.db, { companyIds: [branch.id] });
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: other.phone, w: TEST_PASSWORD });
    const cookie = { cookie: sessionCookie(login.headers) };
    expect(code(await t.request('query($c: ID!) { sandboxSettings(companyId: $c) { name } }', { c: sandbox.companyId }, cookie))).toBe('NOT_FOUND');
    expect(code(await t.request('mutation($c: ID!) { resetSandbox(companyId: $c) { name } }', { c: sandbox.companyId }, cookie))).toBe('NOT_FOUND');

    // A card of the operator's real stock never goes into a sandbox number.
    const [first] = await numbersOf(sandbox, secret);
    const res = await t.request(
      'mutation($n: ID!, $i: String!) { replaceSim(numberId: $n, iccid: $i) { id } }',
      { n: first.id, i: DEMO_FREE_ICCIDS[0] },
      as(secret),
    );
    expect(res.errors).toBeUndefined();
    expect(await finished(sandbox.companyId, secret, res.data!.replaceSim.id)).toMatchObject({ status: 'FAILURE', failureCode: 'SIM_NOT_FREE' });
    const [card] = await t.db.dataSource.query(`SELECT number_id FROM billing.sim_cards WHERE iccid = $1`, [DEMO_FREE_ICCIDS[0]]);
    expect(card.number_id).toBeNull();
    // Nor does a sandbox's card go into a real number.
    const real = await t.gql('mutation($n: ID!, $i: String!) { replaceSim(numberId: $n, iccid: $i) { id } }', { n: realNumber, i: sandbox.freeIccids[0] });
    expect(real.errors).toBeUndefined();
    const operationId = Buffer.from(real.data!.replaceSim.id, 'base64url').toString().split(':')[1];
    let outcome: { status: string; failure_reason: string | null } | undefined;
    for (let i = 0; i < 400 && (!outcome || outcome.status === 'IN_PROCESS'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      [outcome] = await t.db.dataSource.query(`SELECT status, failure_reason FROM cabinet.operations WHERE id = $1`, [operationId]);
    }
    expect(outcome).toEqual({ status: 'FAILURE', failure_reason: 'SIM_NOT_FREE' });
  });

  it('fails the documented numbers and card with their codes through the worker, and takes a free card of its own stock', async () => {
    const { sandbox, secret } = await newSandbox();
    const numbers = await numbersOf(sandbox, secret);
    const byMsisdn = new Map(numbers.map((n) => [n.msisdn, n.id]));
    for (const failure of sandbox.failures.filter((f) => f.msisdn)) {
      const op = await finished(sandbox.companyId, secret, await block(byMsisdn.get(failure.msisdn!)!, secret));
      expect(op).toMatchObject({ status: 'FAILURE', failureCode: failure.failureCode });
    }
    expect((await numbersOf(sandbox, secret)).find((n) => n.msisdn === sandbox.failures[0].msisdn)!.state).toBe('ACTIVE');
    expect(await finished(sandbox.companyId, secret, await block(numbers[0].id, secret))).toMatchObject({ status: 'SUCCESS' });

    const replace = (iccid: string) =>
      t.request('mutation($n: ID!, $i: String!) { replaceSim(numberId: $n, iccid: $i) { id } }', { n: numbers[1].id, i: iccid }, as(secret));
    const refused = await replace(sandbox.failures[3].iccid!);
    expect(await finished(sandbox.companyId, secret, refused.data!.replaceSim.id)).toMatchObject({ status: 'FAILURE', failureCode: 'SIM_NOT_FREE' });
    const taken = await replace(sandbox.freeIccids[0]);
    expect(await finished(sandbox.companyId, secret, taken.data!.replaceSim.id)).toMatchObject({ status: 'SUCCESS' });
  });

  it('waits the sandbox’s own delay for its operations, and checks the delay given', async () => {
    const { sandbox, secret } = await newSandbox();
    const UPDATE = 'mutation($c: ID!, $d: Int!) { updateSandbox(companyId: $c, delayMs: $d) { delayMs } }';
    const bad = await t.request(UPDATE, { c: sandbox.companyId, d: 600_001 }, as(secret));
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'delayMs' });
    expect((await t.request(UPDATE, { c: sandbox.companyId, d: 1500 }, as(secret))).data!.updateSandbox.delayMs).toBe(1500);
    const settings = await t.request('query($c: ID!) { sandboxSettings(companyId: $c) { delayMs } }', { c: sandbox.companyId }, as(secret));
    expect(settings.data!.sandboxSettings.delayMs).toBe(1500);
    const [number] = await numbersOf(sandbox, secret);
    const started = Date.now();
    const op = await finished(sandbox.companyId, secret, await block(number.id, secret));
    expect(op.status).toBe('SUCCESS');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);

    // A real company's operations keep the configured BILLING_DELAY_MS (0 here).
    const other = await newSandbox();
    const quick = Date.now();
    await finished(other.sandbox.companyId, other.secret, await block((await numbersOf(other.sandbox, other.secret))[0].id, other.secret));
    expect(Date.now() - quick).toBeLessThan(1500);
  });

  it('restores the initial fleet in one mutation, keeping the keys, with the key or by its owner’s administrator', async () => {
    const { sandbox, secret } = await newSandbox();
    const initial = await numbersOf(sandbox, secret);
    const blocked = await finished(sandbox.companyId, secret, await block(initial[0].id, secret));
    expect(blocked.status).toBe('SUCCESS');
    const service = initial.find((n) => n.connectedServices.length > 0)!;
    const events = 'query($c: ID!, $a: String) { events(companyId: $c, after: $a, first: 100) { edges { node { type cursor } } } }';
    const logged = (await t.request(events, { c: sandbox.companyId }, as(secret))).data!.events.edges;
    expect(logged.length).toBeGreaterThan(0);
    await t.db.dataSource.query(`DELETE FROM billing.connected_services WHERE number_id = $1`, [fromGlobalId('Number', service.id, 'id')]);
    expect((await numbersOf(sandbox, secret)).find((n) => n.id === initial[0].id)!.state).toBe('BLOCKED');

    const reset = await t.request('mutation($c: ID!) { resetSandbox(companyId: $c) { name } }', { c: sandbox.companyId }, as(secret));
    expect(reset.errors).toBeUndefined();
    expect(await numbersOf(sandbox, secret)).toEqual(initial);
    expect((await t.request(OPERATIONS, { c: sandbox.companyId }, as(secret))).data!.operations.edges).toEqual([]);
    expect((await t.request(events, { c: sandbox.companyId }, as(secret))).data!.events.edges).toEqual([]);
    expect(code(await t.request(events, { c: sandbox.companyId, a: logged[0].node.cursor }, as(secret)))).toBe('CURSOR_EXPIRED');

    expect((await t.gql('mutation($c: ID!) { resetSandbox(companyId: $c) { name } }', { c: sandbox.companyId })).errors).toBeUndefined();
    expect(await numbersOf(sandbox, secret)).toEqual(initial);
    const reader = await t.gql(CREATE, { c: company, s: 'READ' });
    const readKey = reader.data!.createSandboxKey;
    expect(code(await t.request('mutation($c: ID!) { resetSandbox(companyId: $c) { name } }', { c: readKey.sandbox.companyId }, as(readKey.secret)))).toBe(
      'FORBIDDEN',
    );
  });

  it('charges a sandbox key’s budget as any key’s, and its owner’s administrator revokes it', async () => {
    const { sandbox, apiKey, secret } = await newSandbox();
    const first = await t.request(NUMBERS, { c: sandbox.companyId }, as(secret));
    expect(first.extensions!.cost).toMatchObject({ limit: API_KEY_BUDGET.points });
    const cost = first.extensions!.cost.requested;
    await t.db.dataSource.query(`UPDATE cabinet.api_keys SET budget = $2, budget_updated_at = now() WHERE id = $1`, [
      fromGlobalId('ApiKey', apiKey.id, 'id'),
      cost - 1,
    ]);
    const over = await t.request(NUMBERS, { c: sandbox.companyId }, as(secret));
    expect(over.status).toBe(429);
    expect(code(over)).toBe('RATE_LIMITED');
    expect((await t.gql('mutation($k: ID!) { revokeApiKey(id: $k) { revokedAt } }', { k: apiKey.id })).errors).toBeUndefined();
    expect(code(await t.request('{ companies { id } }', {}, as(secret)))).toBe('UNAUTHENTICATED');
  });
});
