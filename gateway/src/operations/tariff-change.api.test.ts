import { toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../test/app';

/** Money comes as a decimal string of tenge with two decimals; tiyn compare exactly. */
const tiyn = (money: string) => BigInt(money.replace('.', ''));
const OP = 'id kind status failureCode parameters { name value }';
const PROFILE = `query($id: ID!) { number(id: $id) { msisdn balance allowedOperations tariff { id code }
  tariffChoices { id code name monthlyFee } tariffBalances { kind unlimited total } bonuses { kind total available } } }`;

describe.each(ENGINES)('tariff plan changes on %s', (engine) => {
  let t: TestApp;
  let company: string;
  let companyId: number;

  beforeAll(async () => {
    t = await startTestApp(engine, { jobs: { billingDelayMs: 0 } });
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    companyId = row.id;
    company = toGlobalId('Company', row.id);
  });
  afterAll(() => t.close());

  /** An Active Advance number of the company, not yet used by another test. */
  const used: number[] = [];
  async function activeNumber(): Promise<{ id: number; gid: string; tariffId: number }> {
    const [n] = await t.db.dataSource.query(
      `SELECT n.id, n.tariff_id AS "tariffId" FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id
       JOIN billing.tariffs t ON t.id = n.tariff_id
       WHERE n.company_id = $1 AND n.state = 'ACTIVE' AND a.payment_method = 'ADVANCE' AND t.code <> 'M2M' AND NOT n.id = ANY($2::int[])
       ORDER BY n.id LIMIT 1`,
      [companyId, used],
    );
    used.push(n.id);
    return { ...n, gid: toGlobalId('Number', n.id) };
  }
  const change = (numberId: string, tariffId: string, headers?: Record<string, string>) =>
    (headers ? t.request : t.gql)(`mutation($n: ID!, $t: ID!) { changeTariff(numberId: $n, tariffId: $t) { ${OP} } }`, { n: numberId, t: tariffId }, headers);
  const code = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
  async function finished(operationId: string) {
    for (let i = 0; i < 200; i++) {
      const res = await t.gql(`query($c: ID!) { operations(companyId: $c, first: 20) { edges { node { ${OP} } } } }`, { c: company });
      const op = res.data!.operations.edges.map((e: any) => e.node).find((o: any) => o.id === operationId);
      if (op && op.status !== 'IN_PROCESS') return op;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('operation did not finish');
  }

  it('offers the plans the company may use, but the number’s own and machine-to-machine, with their monthly fee', async () => {
    const number = await activeNumber();
    const profile = (await t.gql(PROFILE, { id: number.gid })).data!.number;
    expect(profile.allowedOperations).toContain('CHANGE_TARIFF');
    const codes = profile.tariffChoices.map((choice: any) => choice.code);
    expect(codes.length).toBeGreaterThan(3);
    expect(codes).not.toContain('M2M');
    expect(profile.tariffChoices.map((choice: any) => choice.id)).not.toContain(profile.tariff.id);
    const fees = profile.tariffChoices.map((choice: any) => tiyn(choice.monthlyFee));
    expect(fees).toEqual([...fees].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('moves an Active number to another plan: In process, then done, with the plan’s allowances, its fee charged and a history entry', async () => {
    const number = await activeNumber();
    await t.db.dataSource.query(`UPDATE billing.numbers SET balance = 100000000, available_funds = 100000000 WHERE id = $1`, [number.id]);
    const before = (await t.gql(PROFILE, { id: number.gid })).data!.number;
    const target =
      before.tariffChoices.find((choice: any) => choice.code === 'BUSINESS_CLASS_DIRECTOR' && choice.id !== before.tariff.id) ?? before.tariffChoices.at(-1);
    const res = await change(number.gid, target.id);
    expect(res.data!.changeTariff).toMatchObject({ kind: 'CHANGE_TARIFF', status: 'IN_PROCESS' });
    expect(res.data!.changeTariff.parameters).toContainEqual({ name: 'tariff', value: target.code });
    expect((await finished(res.data!.changeTariff.id)).status).toBe('SUCCESS');

    const after = (await t.gql(PROFILE, { id: number.gid })).data!.number;
    expect(after.tariff).toEqual({ id: target.id, code: target.code });
    const [template] = await t.db.dataSource.query(
      `SELECT json_agg(json_build_object('kind', kind, 'total', total::text) ORDER BY kind::text) AS rows FROM billing.tariff_allowances WHERE tariff_id = $1 AND is_bonus`,
      [Number(Buffer.from(target.id, 'base64url').toString().split(':')[1])],
    );
    expect(after.bonuses.map((b: any) => ({ kind: b.kind, total: String(b.total) })).sort((a: any, b: any) => (a.kind < b.kind ? -1 : 1))).toEqual(
      template.rows,
    );
    expect(after.bonuses.every((b: any) => String(b.available) === String(b.total))).toBe(true);
    expect(tiyn(before.balance) - tiyn(after.balance)).toBe(tiyn(target.monthlyFee));
    const [charge] = await t.db.dataSource.query(
      `SELECT charge_kind AS kind, amount::text FROM billing.payments WHERE number_id = $1 AND type = 'CHARGE' ORDER BY id DESC LIMIT 1`,
      [number.id],
    );
    expect(charge).toEqual({ kind: 'TARIFF_FEE', amount: String(-tiyn(target.monthlyFee)) });
    const log = await t.gql(`query($n: ID!) { number(id: $n) { actions(first: 1) { edges { node { action status description } } } } }`, { n: number.gid });
    expect(log.data!.number.actions.edges[0].node).toMatchObject({ action: 'CHANGE_TARIFF', status: 'SUCCESS' });
    expect(log.data!.number.actions.edges[0].node.description).toBe(`Change tariff plan of number ${before.msisdn} to “${target.name}”`);
  });

  it('is refused by the billing system when the balance cannot pay the new plan’s first monthly fee', async () => {
    const number = await activeNumber();
    await t.db.dataSource.query(`UPDATE billing.numbers SET balance = 100, available_funds = 100 WHERE id = $1`, [number.id]);
    const before = (await t.gql(PROFILE, { id: number.gid })).data!.number;
    const target = before.tariffChoices.at(-1);
    const res = await change(number.gid, target.id);
    const done = await finished(res.data!.changeTariff.id);
    expect(done).toMatchObject({ status: 'FAILURE', failureCode: 'INSUFFICIENT_FUNDS_FOR_TARIFF' });
    const after = (await t.gql(PROFILE, { id: number.gid })).data!.number;
    expect(after.tariff.id).toBe(before.tariff.id);
    expect(after.bonuses).toEqual(before.bonuses);
    expect(after.balance).toBe(before.balance);
  });

  it('refuses a number that is not Active, a plan the company is not offered, and the number’s own plan', async () => {
    const [blocked] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 AND state IN ('BLOCKED', 'BLOCKED_DEBT') LIMIT 1`, [
      companyId,
    ]);
    const [plan] = await t.db.dataSource.query(`SELECT id FROM billing.tariffs WHERE code = 'BUSINESS_CLASS_MANAGER'`);
    const notActive = await change(toGlobalId('Number', blocked.id), toGlobalId('Tariff', plan.id));
    expect(code(notActive)).toBe('NUMBER_NOT_ACTIVE');
    const number = await activeNumber();
    const [m2m] = await t.db.dataSource.query(`SELECT id FROM billing.tariffs WHERE code = 'M2M'`);
    expect(code(await change(number.gid, toGlobalId('Tariff', m2m.id)))).toBe('TARIFF_NOT_AVAILABLE');
    expect(code(await change(number.gid, toGlobalId('Tariff', number.tariffId)))).toBe('CONFLICT');
    const [{ n }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS n FROM cabinet.operations WHERE kind = 'CHANGE_TARIFF' AND number_id = ANY($1::int[])`,
      [[blocked.id, number.id]],
    );
    expect(n).toBe(0);
  });

  it('refuses a read-only API key, and accepts an operating one', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const cookie = sessionCookie(
      (await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD })).headers,
    );
    const keys: Record<string, string> = {};
    for (const scope of ['READ', 'OPERATE']) {
      const key = await t.request(
        `mutation($c: ID!) { createApiKey(companyId: $c, name: "${scope}", scope: ${scope}) { secret } }`,
        { c: company },
        { cookie },
      );
      keys[scope] = key.data!.createApiKey.secret;
    }
    const number = await activeNumber();
    const target = (await t.gql(PROFILE, { id: number.gid })).data!.number.tariffChoices[0];
    expect(code(await change(number.gid, target.id, { authorization: `Bearer ${keys.READ}` }))).toBe('FORBIDDEN');
    const operated = await change(number.gid, target.id, { authorization: `Bearer ${keys.OPERATE}` });
    expect(operated.data!.changeTariff.status).toBe('IN_PROCESS');
  });
});
