import ExcelJS from 'exceljs';
import pino from 'pino';
import { toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../test/app';
import { claimItems, type BulkWorkerDeps } from './bulk.worker';

const PLAN =
  'token total changes groups { outcome code reason count sample } invalidLines { line value code reason } invalidLineCount monthlyFeeChange approvalRequired';
const OPERATION = 'id kind status total counts { pending inProcess success failure skipped cancelled } actor { name } finishedAt';
const SUBMIT = `mutation($input: BulkOperationInput!, $dryRun: Boolean!, $token: String, $key: String) {
  bulkOperation(input: $input, dryRun: $dryRun, token: $token, idempotencyKey: $key) { plan { ${PLAN} } operation { ${OPERATION} } } }`;

const code = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;

describe.each(ENGINES)('fleet operations on %s', (engine) => {
  let t: TestApp;
  let queued: TestApp;
  let companyId: number;
  let company: string;

  const sql = (app: TestApp, text: string, params: unknown[] = []) => app.db.dataSource.query(text, params);
  const submit = (app: TestApp, input: Record<string, unknown>, dryRun = true, token?: string, key?: string) =>
    app.gql(SUBMIT, { input: { companyId: company, ...input }, dryRun, token, key });
  /** The dry run, then the start with its token. */
  const start = async (app: TestApp, input: Record<string, unknown>, key?: string) => {
    const dry = await submit(app, input);
    expect(dry.errors).toBeUndefined();
    const res = await submit(app, input, false, dry.data!.bulkOperation.plan.token, key);
    expect(res.errors).toBeUndefined();
    return res.data!.bulkOperation;
  };
  const finished = async (app: TestApp, id: string) => {
    for (let i = 0; i < 400; i++) {
      const res = await app.gql(`query($id: ID!) { bulkOperation(id: $id) { ${OPERATION} } }`, { id });
      const op = res.data!.bulkOperation;
      if (op.status === 'FINISHED' || op.status === 'CANCELLED') return op;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the fleet operation did not finish');
  };
  const companyNumbers = (app: TestApp) =>
    sql(app, `SELECT id, msisdn, state FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn`, [companyId]) as Promise<
      { id: number; msisdn: string; state: string }[]
    >;
  const rowCounts = async (app: TestApp) =>
    (
      await sql(
        app,
        `SELECT (SELECT count(*) FROM cabinet.bulk_operations)::int AS bulk, (SELECT count(*) FROM cabinet.bulk_items)::int AS items,
           (SELECT count(*) FROM cabinet.operations)::int AS operations, (SELECT count(*) FROM cabinet.action_log)::int AS log,
           (SELECT count(*) FROM pgboss.job)::int AS jobs`,
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp(engine, { jobs: { billingDelayMs: 0, billingMaxRate: 10_000, billingConcurrency: 100 } });
    queued = await startTestApp(engine, { jobs: { runWorker: false } });
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    companyId = row.id;
    company = toGlobalId('Company', row.id);
  });
  afterAll(async () => {
    await t.close();
    await queued.close();
  });

  it('dry-runs a block of every number of the company with the counts SQL gives, and writes nothing', async () => {
    const before = await rowCounts(queued);
    const res = await submit(queued, { kind: 'BLOCK_NUMBER', selection: { matching: {} } });
    expect(res.errors).toBeUndefined();
    const plan = res.data!.bulkOperation.plan;
    const states: { state: string; n: number }[] = await sql(
      queued,
      `SELECT state, count(*)::int AS n FROM billing.numbers WHERE company_id = $1 GROUP BY state`,
      [companyId],
    );
    const n = (state: string) => states.find((s) => s.state === state)?.n ?? 0;
    expect(plan.total).toBe(states.reduce((sum, s) => sum + s.n, 0));
    expect(plan.changes).toBe(n('ACTIVE'));
    const group = (outcome: string, c: string | null) => plan.groups.find((g: any) => g.outcome === outcome && g.code === c);
    expect(group('CHANGE', null).count).toBe(n('ACTIVE'));
    expect(group('ALREADY', 'CONFLICT').count).toBe(n('BLOCKED') + n('BLOCKED_DEBT'));
    expect(group('ALREADY', 'CONFLICT').reason).toMatch(/Already done/);
    const active = (await companyNumbers(queued)).filter((x) => x.state === 'ACTIVE').map((x) => x.msisdn);
    expect(group('CHANGE', null).sample).toEqual(active.slice(0, 10));
    expect(plan.monthlyFeeChange).toBeNull();
    expect(plan.approvalRequired).toBe(false);
    expect(await rowCounts(queued)).toEqual(before);
  });

  it('reports the change in monthly fees of a service, and those already connected', async () => {
    const [service] = await sql(
      queued,
      `SELECT s.id, s.monthly_fee::text AS fee, count(*) FILTER (WHERE c.number_id IS NOT NULL)::int AS connected, count(*)::int AS allowed
       FROM billing.services s JOIN billing.tariff_services ts ON ts.service_id = s.id JOIN billing.numbers n ON n.tariff_id = ts.tariff_id AND n.company_id = $1 AND n.state = 'ACTIVE'
       LEFT JOIN billing.connected_services c ON c.service_id = s.id AND c.number_id = n.id
       WHERE s.monthly_fee > 0 GROUP BY s.id HAVING count(*) FILTER (WHERE c.number_id IS NULL) > 0 ORDER BY count(*) DESC, s.id LIMIT 1`,
      [companyId],
    );
    const res = await submit(queued, { kind: 'CONNECT_SERVICE', serviceId: toGlobalId('Service', service.id), selection: { matching: { state: 'ACTIVE' } } });
    expect(res.errors).toBeUndefined();
    const plan = res.data!.bulkOperation.plan;
    expect(plan.changes).toBe(service.allowed - service.connected);
    expect(BigInt(Math.round(Number(plan.monthlyFeeChange) * 100))).toBe(BigInt(service.fee) * BigInt(plan.changes));
    if (service.connected > 0) expect(plan.groups.find((g: any) => g.outcome === 'ALREADY').count).toBe(service.connected);
  });

  it('reports the change in monthly fees of a tariff change: the new plan’s fee less each number’s current one', async () => {
    const [tariff] = await sql(
      queued,
      `SELECT t.id, t.monthly_fee::text AS fee FROM billing.company_tariffs c JOIN billing.tariffs t ON t.id = c.tariff_id
       WHERE c.company_id = $1 ORDER BY t.monthly_fee DESC LIMIT 1`,
      [companyId],
    );
    const res = await submit(queued, { kind: 'CHANGE_TARIFF', tariffId: toGlobalId('Tariff', tariff.id), selection: { matching: { state: 'ACTIVE' } } });
    expect(res.errors).toBeUndefined();
    const [expected] = await sql(
      queued,
      `SELECT count(*)::int AS n, coalesce(sum($2::bigint - t.monthly_fee), 0)::text AS change FROM billing.numbers n JOIN billing.tariffs t ON t.id = n.tariff_id
       WHERE n.company_id = $1 AND n.state = 'ACTIVE' AND n.tariff_id <> $3`,
      [companyId, tariff.fee, tariff.id],
    );
    const plan = res.data!.bulkOperation.plan;
    expect(plan.changes).toBe(expected.n);
    expect(BigInt(Math.round(Number(plan.monthlyFeeChange) * 100))).toBe(BigInt(expected.change));
  });

  it('refuses a start whose token no longer matches the selection (DRY_RUN_OUTDATED), and one without a token', async () => {
    const input = { kind: 'BLOCK_NUMBER', selection: { matching: {} } };
    const dry = await submit(queued, input);
    expect(code(await submit(queued, input, false))).toBe('DRY_RUN_OUTDATED');
    const first = (await companyNumbers(queued)).find((n) => n.state === 'ACTIVE')!;
    // Blocked meanwhile: the number is no longer one the plan changes.
    await sql(queued, `UPDATE billing.numbers SET state = 'BLOCKED' WHERE id = $1`, [first.id]);
    try {
      expect(code(await submit(queued, input, false, dry.data!.bulkOperation.plan.token))).toBe('DRY_RUN_OUTDATED');
    } finally {
      await sql(queued, `UPDATE billing.numbers SET state = $2 WHERE id = $1`, [first.id, first.state]);
    }
  });

  it('refuses selections that are not exactly one, empty, or name numbers of another company', async () => {
    const [other] = await sql(queued, `SELECT n.id FROM billing.numbers n WHERE n.company_id <> $1 LIMIT 1`, [companyId]);
    const [own] = await companyNumbers(queued);
    expect(code(await submit(queued, { kind: 'BLOCK_NUMBER', selection: {} }))).toBe('BULK_SELECTION_INVALID');
    expect(code(await submit(queued, { kind: 'BLOCK_NUMBER', selection: { numberIds: [], matching: {} } }))).toBe('BULK_SELECTION_INVALID');
    expect(code(await submit(queued, { kind: 'BLOCK_NUMBER', selection: { numberIds: [] } }))).toBe('BULK_SELECTION_INVALID');
    const foreign = await submit(queued, { kind: 'BLOCK_NUMBER', selection: { numberIds: [toGlobalId('Number', own.id), toGlobalId('Number', other.id)] } });
    expect(code(foreign)).toBe('BULK_SELECTION_INVALID');
    const missing = await submit(queued, { kind: 'BLOCK_NUMBER', selection: { numberIds: [toGlobalId('Number', 99999999)] } });
    expect(foreign.errors![0].message).toBe(missing.errors![0].message);
    expect(code(await submit(queued, { kind: 'CONNECT_SERVICE', selection: { matching: {} } }))).toBe('BAD_USER_INPUT');
    expect(code(await submit(queued, { kind: 'BLOCK_NUMBER', selection: { matching: {} }, startAt: new Date(Date.now() - 60_000).toISOString() }))).toBe(
      'SCHEDULE_IN_PAST',
    );
  });

  it('reports typed-in SIM replacements of numbers not of the company as FOREIGN_NUMBER lines', async () => {
    const [other] = await sql(queued, `SELECT msisdn FROM billing.numbers WHERE company_id <> $1 LIMIT 1`, [companyId]);
    const active = (await companyNumbers(queued)).find((n) => n.state === 'ACTIVE')!;
    const res = await submit(queued, {
      kind: 'REPLACE_SIM',
      selection: {
        simReplacements: [
          { msisdn: active.msisdn, iccid: '89970000000000000000' },
          { msisdn: other.msisdn, iccid: '89970000000000000000' },
          { msisdn: '79990000000', iccid: '89970000000000000000' },
          { msisdn: 'nope', iccid: '1' },
        ],
      },
    });
    expect(res.errors).toBeUndefined();
    const plan = res.data!.bulkOperation.plan;
    expect(plan.total).toBe(1);
    expect(plan.invalidLineCount).toBe(3);
    expect(plan.invalidLines.map((l: any) => [l.line, l.code])).toEqual([
      [2, 'FOREIGN_NUMBER'],
      [3, 'FOREIGN_NUMBER'],
      [4, 'INVALID_PHONE'],
    ]);
    expect(plan.groups).toEqual([expect.objectContaining({ outcome: 'CANNOT', code: 'BAD_USER_INPUT', count: 1 })]);
  });

  it('runs a job: every number changed once, SKIPPED for the others, history per number and for the job, results paged and downloadable', async () => {
    const numbers = await companyNumbers(t);
    const picked = numbers.slice(0, 8);
    const answer = await start(t, { kind: 'BLOCK_NUMBER', selection: { numberIds: picked.map((n) => toGlobalId('Number', n.id)) } });
    const changes = answer.plan.changes;
    expect(answer.operation).toMatchObject({ kind: 'BLOCK_NUMBER', status: 'RUNNING', total: 8 });
    const done = await finished(t, answer.operation.id);
    expect(done.status).toBe('FINISHED');
    expect(done.counts).toEqual({ pending: 0, inProcess: 0, success: changes, failure: 0, skipped: 8 - changes, cancelled: 0 });
    const bulkId = Buffer.from(answer.operation.id, 'base64url').toString().split(':')[1];
    const ops = await sql(t, `SELECT number_id, status FROM cabinet.operations WHERE bulk_operation_id = $1`, [bulkId]);
    expect(ops).toHaveLength(changes);
    const after = await sql(t, `SELECT id, state FROM billing.numbers WHERE id = ANY($1)`, [picked.map((n) => n.id)]);
    for (const n of picked.filter((p) => p.state === 'ACTIVE')) expect(after.find((a: any) => a.id === n.id).state).toBe('BLOCKED');
    const log = await sql(t, `SELECT action, status, number_id, details FROM cabinet.action_log WHERE bulk_operation_id = $1 ORDER BY id`, [bulkId]);
    expect(log[0]).toMatchObject({ action: 'BULK_OPERATION', status: 'SUCCESS', number_id: null });
    expect(log[0].details).toMatchObject({ kind: 'BLOCK_NUMBER', total: 8, counts: { success: changes, failure: 0, skipped: 8 - changes } });
    expect(log.slice(1).map((l: any) => [l.action, l.status])).toEqual(Array(changes).fill(['BLOCK_NUMBER', 'SUCCESS']));

    const page = async (after?: string) =>
      (
        await t.gql(
          `query($id: ID!, $after: String) { bulkOperation(id: $id) { items(first: 3, after: $after) { edges { cursor node { position msisdn status reasonCode reason
             number { msisdn } operation { status } } } pageInfo { hasNextPage endCursor } } } }`,
          { id: answer.operation.id, after },
        )
      ).data!.bulkOperation.items;
    const items: any[] = [];
    let cursor: string | undefined;
    for (;;) {
      const p = await page(cursor);
      items.push(...p.edges.map((e: any) => e.node));
      expect(p.edges.at(-1).cursor).toBe(p.pageInfo.endCursor);
      if (!p.pageInfo.hasNextPage) break;
      cursor = p.edges.at(-1).cursor;
    }
    expect(items.map((i) => i.msisdn)).toEqual(picked.map((n) => n.msisdn));
    expect(items.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [i, item] of items.entries()) {
      if (picked[i].state === 'ACTIVE') expect(item).toMatchObject({ status: 'SUCCESS', reasonCode: null, operation: { status: 'SUCCESS' } });
      else expect(item).toMatchObject({ status: 'SKIPPED', reasonCode: 'CONFLICT', operation: null });
    }

    const csvLink = await t.gql(`mutation($id: ID!) { bulkResultsDownload(id: $id, format: CSV) { url filename } }`, { id: answer.operation.id });
    const csv = await t.app.inject({ method: 'GET', url: csvLink.data!.bulkResultsDownload.url, headers: { cookie: t.adminCookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(9);
    expect(lines[1].split(',').slice(0, 3)).toEqual(['1', picked[0].msisdn, picked[0].state === 'ACTIVE' ? 'Success' : 'Skipped']);
    const xlsxLink = await t.gql(`mutation($id: ID!) { bulkResultsDownload(id: $id, format: XLSX) { url } }`, { id: answer.operation.id });
    const xlsx = await t.app.inject({ method: 'GET', url: xlsxLink.data!.bulkResultsDownload.url, headers: { cookie: t.adminCookie } });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const sheet = workbook.worksheets[0];
    const cells: string[] = [];
    sheet.eachRow((row) => cells.push(String(row.getCell(2).value)));
    expect(cells).toEqual(expect.arrayContaining(picked.map((n) => n.msisdn)));
    // Someone else's session gets nothing from the link.
    const stranger = await t.app.inject({ method: 'GET', url: csvLink.data!.bulkResultsDownload.url });
    expect(stranger.statusCode).toBe(401);
  });

  it('starts once per idempotency key', async () => {
    const [n] = (await companyNumbers(queued)).filter((x) => x.state === 'ACTIVE');
    const input = { kind: 'SEND_SECRET_CODE', selection: { numberIds: [toGlobalId('Number', n.id)] } };
    const first = await start(queued, input, 'fleet-key-1');
    const again = await start(queued, input, 'fleet-key-1');
    expect(again.operation.id).toBe(first.operation.id);
    const other = await submit(queued, { kind: 'DELETE_SECRET_CODE', selection: input.selection }, false, again.plan.token, 'fleet-key-1');
    expect(code(other)).toBe('CONFLICT');
    await queued.gql(`mutation($id: ID!) { cancelBulkOperation(id: $id) { status } }`, { id: first.operation.id });
  });

  it('reports numbers of a running job of a conflicting kind as OPERATION_IN_PROGRESS and skips them', async () => {
    const active = (await companyNumbers(queued)).filter((x) => x.state === 'ACTIVE').slice(0, 3);
    const selection = { numberIds: active.map((n) => toGlobalId('Number', n.id)) };
    const first = await start(queued, { kind: 'BLOCK_NUMBER', selection });
    expect(first.plan.changes).toBe(3);
    const unblock = await submit(queued, { kind: 'UNBLOCK_NUMBER', selection });
    expect(unblock.data!.bulkOperation.plan.groups).toEqual([expect.objectContaining({ outcome: 'CANNOT', code: 'OPERATION_IN_PROGRESS', count: 3 })]);
    const second = await start(queued, { kind: 'BLOCK_NUMBER', selection });
    expect(second.plan.changes).toBe(0);
    expect(second.operation.counts).toMatchObject({ pending: 0, skipped: 3 });

    // pause, resume, cancel: atomic transitions, CONFLICT from the wrong state.
    const id = first.operation.id;
    const act = (name: string) => queued.gql(`mutation($id: ID!) { ${name}(id: $id) { status counts { pending cancelled } } }`, { id });
    expect(code(await act('resumeBulkOperation'))).toBe('CONFLICT');
    expect((await act('pauseBulkOperation')).data!.pauseBulkOperation.status).toBe('PAUSED');
    expect(code(await act('pauseBulkOperation'))).toBe('CONFLICT');
    expect((await act('resumeBulkOperation')).data!.resumeBulkOperation.status).toBe('RUNNING');
    const cancelled = (await act('cancelBulkOperation')).data!.cancelBulkOperation;
    expect(cancelled).toEqual({ status: 'CANCELLED', counts: { pending: 0, cancelled: 3 } });
    expect(code(await act('cancelBulkOperation'))).toBe('CONFLICT');
    // Once cancelled, the numbers are free again.
    expect((await submit(queued, { kind: 'BLOCK_NUMBER', selection })).data!.bulkOperation.plan.changes).toBe(3);
  });

  it('answers NOT_FOUND to an administrator of another company, and lists by number', async () => {
    const [n] = await companyNumbers(queued);
    const first = await start(queued, { kind: 'SEND_SECRET_CODE', selection: { numberIds: [toGlobalId('Number', n.id)] } });
    const [branch] = await sql(queued, `SELECT id FROM billing.companies WHERE name = 'Филиал TOO Кабинет'`);
    const other = await createAdministrator(queued.db, { companyIds: [branch.id] });
    const login = await queued.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: other.phone, w: TEST_PASSWORD });
    const cookie = sessionCookie(login.headers);
    const read = await queued.request(`query($id: ID!) { bulkOperation(id: $id) { id } }`, { id: first.operation.id }, { cookie });
    expect(code(read)).toBe('NOT_FOUND');
    const cancel = await queued.request(`mutation($id: ID!) { cancelBulkOperation(id: $id) { id } }`, { id: first.operation.id }, { cookie });
    expect(code(cancel)).toBe('NOT_FOUND');
    expect(
      code(await queued.request(SUBMIT, { input: { companyId: company, kind: 'BLOCK_NUMBER', selection: { matching: {} } }, dryRun: true }, { cookie })),
    ).toBe('NOT_FOUND');
    const list = await queued.gql(`query($c: ID!, $n: ID) { bulkOperations(companyId: $c, numberId: $n, first: 100) { edges { cursor node { id } } } }`, {
      c: company,
      n: toGlobalId('Number', n.id),
    });
    expect(list.data!.bulkOperations.edges.map((e: any) => e.node.id)).toContain(first.operation.id);
    expect(list.data!.bulkOperations.edges.every((e: any) => typeof e.cursor === 'string' && e.cursor.length > 0)).toBe(true);
    await queued.gql(`mutation($id: ID!) { cancelBulkOperation(id: $id) { status } }`, { id: first.operation.id });
  });

  it('serves partner keys the same mutations, charged a cost; a READ key may dry-run but not start', async () => {
    const key = async (scope: string) =>
      (
        await queued.gql('mutation($c: ID!, $s: ApiKeyScope!) { createApiKey(companyId: $c, name: "Fleet", scope: $s) { secret } }', {
          c: company,
          s: scope,
        })
      ).data!.createApiKey.secret as string;
    const [n] = (await companyNumbers(queued)).filter((x) => x.state === 'ACTIVE');
    const input = { companyId: company, kind: 'SEND_SECRET_CODE', selection: { numberIds: [toGlobalId('Number', n.id)] } };
    const reader = { authorization: `Bearer ${await key('READ')}` };
    const dry = await queued.request(SUBMIT, { input, dryRun: true }, reader);
    expect(dry.errors).toBeUndefined();
    expect(dry.extensions?.cost).toMatchObject({ requested: expect.any(Number), limit: 5000 });
    const refused = await queued.request(SUBMIT, { input, dryRun: false, token: dry.data!.bulkOperation.plan.token }, reader);
    expect(code(refused)).toBe('FORBIDDEN');
    const operator = { authorization: `Bearer ${await key('OPERATE')}` };
    const started = await queued.request(SUBMIT, { input, dryRun: false, token: dry.data!.bulkOperation.plan.token }, operator);
    expect(started.errors).toBeUndefined();
    expect(started.data!.bulkOperation.operation).toMatchObject({ status: 'RUNNING', actor: { name: 'API key “Fleet”' } });
    const items = await queued.request(
      `query($id: ID!) { bulkOperation(id: $id) { items(first: 10) { edges { node { msisdn status } } } } }`,
      { id: started.data!.bulkOperation.operation.id },
      operator,
    );
    expect(items.data!.bulkOperation.items.edges).toEqual([{ node: { msisdn: n.msisdn, status: 'PENDING' } }]);
    await queued.request(`mutation($id: ID!) { cancelBulkOperation(id: $id) { status } }`, { id: started.data!.bulkOperation.operation.id }, operator);
  });

  it('never has more items in process than the concurrency, however many workers claim at once', async () => {
    const answer = await start(queued, { kind: 'SET_SMS_USSD_BAN', enabled: true, selection: { matching: {} } });
    const bulkId = Buffer.from(answer.operation.id, 'base64url').toString().split(':')[1];
    const deps = { dataSource: queued.db.dataSource, log: pino({ level: 'silent' }), maxRate: 1000, concurrency: 4 } as unknown as BulkWorkerDeps;
    await sql(queued, `UPDATE cabinet.billing_gate SET tokens = 1000, refilled_at = now()`);
    const claims = await Promise.all(Array.from({ length: 50 }, () => claimItems(deps, bulkId, 2)));
    const handed = claims.flatMap((c) => c.operationIds);
    expect(handed).toHaveLength(Math.min(4, answer.plan.changes));
    const [inProcess] = await sql(queued, `SELECT count(*)::int AS n FROM cabinet.bulk_items WHERE status = 'IN_PROCESS'`);
    expect(inProcess.n).toBe(handed.length);
    const ops = await sql(queued, `SELECT count(*)::int AS n FROM cabinet.operations WHERE bulk_operation_id = $1`, [bulkId]);
    expect(ops[0].n).toBe(handed.length);
  });
});
