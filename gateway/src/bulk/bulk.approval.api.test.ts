import { toGlobalId } from '../core/ids';
import { seedDemo } from '../db/seed/seed';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { Inbox } from '../test/smtp';
import { createAdministrator, sessionCookie, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../test/app';

const OPERATION = `id kind status total startAt approvalRequired approvalExpiresAt canDecide actor { name }
  decision { approved by { name } comment } counts { pending success failure skipped cancelled }`;
const SUBMIT = `mutation($input: BulkOperationInput!, $dryRun: Boolean!, $token: String) {
  bulkOperation(input: $input, dryRun: $dryRun, token: $token) { plan { token changes approvalRequired } operation { ${OPERATION} } } }`;
const APPROVE = `mutation($id: ID!, $comment: String) { approveBulkOperation(id: $id, comment: $comment) { ${OPERATION} } }`;
const REJECT = `mutation($id: ID!, $comment: String!) { rejectBulkOperation(id: $id, comment: $comment) { ${OPERATION} } }`;
const RESCHEDULE = `mutation($id: ID!, $at: DateTime!) { rescheduleBulkOperation(id: $id, startAt: $at) { ${OPERATION} } }`;
const CANCEL = `mutation($id: ID!) { cancelBulkOperation(id: $id) { ${OPERATION} } }`;
const POLICY = `mutation($c: ID!, $sim: Boolean!, $n: Int) { setApprovalPolicy(companyId: $c, simReplacement: $sim, bulkThreshold: $n) { simReplacement bulkThreshold } }`;
const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }';

const WORKER = { billingDelayMs: 0, billingMaxRate: 10_000, billingConcurrency: 100 };
const code = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Four eyes and start times: a company's policy, requests waiting for a second administrator, approval, rejection,
 * expiry, and operations that start at their time — even when no worker was up then — once and only once.
 */
describe('approvals and scheduled fleet operations', () => {
  let inbox: Inbox;
  let db: TestDatabase;
  let t: TestApp;
  let queued: TestApp;
  let companyId: number;
  let company: string;
  let numbers: { id: number; msisdn: string; state: string; smsUssdBan: boolean }[];
  let second: { cookie: string; email: string; id: number };
  let third: { cookie: string; id: number };

  const as = (app: TestApp, cookie: string) => (query: string, variables: Record<string, unknown>) => app.request(query, variables, { cookie });
  const sql = (text: string, params: unknown[] = []) => t.db.dataSource.query(text, params);
  /** Dry run, then start with its token, as `gql` (the first administrator) unless told otherwise. */
  const start = async (input: Record<string, unknown>, gql: (q: string, v: Record<string, unknown>) => Promise<GraphQLResponse> = t.gql) => {
    const full = { companyId: company, ...input };
    const dry = await gql(SUBMIT, { input: full, dryRun: true });
    expect(dry.errors).toBeUndefined();
    const res = await gql(SUBMIT, { input: full, dryRun: false, token: dry.data!.bulkOperation.plan.token });
    expect(res.errors).toBeUndefined();
    return { plan: dry.data!.bulkOperation.plan, operation: res.data!.bulkOperation.operation };
  };
  const status = async (id: string) => (await t.gql(`query($id: ID!) { bulkOperation(id: $id) { ${OPERATION} } }`, { id })).data!.bulkOperation;
  const until = async (id: string, wanted: string[], ms = 20_000) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
      const op = await status(id);
      if (wanted.includes(op.status)) return op;
    }
    throw new Error(`${id} did not become ${wanted.join(' or ')}: ${JSON.stringify(await status(id))}`);
  };
  const ban = (ids: number[]) => ({ kind: 'SET_SMS_USSD_BAN', enabled: true, selection: { numberIds: ids.map((id) => toGlobalId('Number', id)) } });
  const administrator = async (name: string) => {
    const created = await createAdministrator(t.db, { companyIds: [companyId], name });
    const login = await t.request(LOGIN, { p: created.phone, w: TEST_PASSWORD });
    const [{ email }] = await sql(`SELECT email FROM cabinet.administrators WHERE id = $1`, [created.id]);
    return { cookie: sessionCookie(login.headers), email: email as string, id: created.id };
  };

  beforeAll(async () => {
    inbox = new Inbox();
    process.env.SMTP_URL = await inbox.start();
    db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
    t = await startTestApp('mercurius', { db, jobs: WORKER });
    queued = await startTestApp('mercurius', { db, jobs: { runWorker: false } });
    const [row] = await sql(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    companyId = row.id;
    company = toGlobalId('Company', companyId);
    numbers = await sql(`SELECT id, msisdn, state, sms_ussd_ban AS "smsUssdBan" FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn`, [companyId]);
    second = await administrator('Second Administrator');
    third = await administrator('Third Administrator');
  });
  afterAll(async () => {
    await queued?.close();
    await t?.close();
    await db?.drop();
    await inbox.stop();
    delete process.env.SMTP_URL;
  });
  afterEach(async () => {
    await sql(`DELETE FROM cabinet.company_policies`);
  });

  it('sets the policy: administrators only, a threshold from 1, read back on the company and written in the history', async () => {
    expect(code(await t.gql(POLICY, { c: company, sim: true, n: 0 }))).toBe('BAD_USER_INPUT');
    const set = await t.gql(POLICY, { c: company, sim: true, n: 2 });
    expect(set.data!.setApprovalPolicy).toEqual({ simReplacement: true, bulkThreshold: 2 });
    const read = await t.gql(`query($c: ID!) { company(id: $c) { approvalPolicy { simReplacement bulkThreshold } } }`, { c: company });
    expect(read.data!.company.approvalPolicy).toEqual({ simReplacement: true, bulkThreshold: 2 });
    const key = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "ERP", scope: OPERATE) { secret } }', { c: company });
    const byKey = await t.request(POLICY, { c: company, sim: false, n: null }, { authorization: `Bearer ${key.data!.createApiKey.secret}` });
    expect(code(byKey)).toBe('FORBIDDEN');
    const [entry] = await sql(`SELECT details FROM cabinet.action_log WHERE action = 'APPROVAL_POLICY_CHANGED' ORDER BY id DESC LIMIT 1`);
    expect(entry.details).toMatchObject({ simReplacement: 'true', bulkThreshold: '2', wasSimReplacement: 'false', wasBulkThreshold: '' });
  });

  it('refuses a single SIM replacement when the policy asks for approval, from a session and from a partner key alike', async () => {
    await t.gql(POLICY, { c: company, sim: true, n: null });
    const active = numbers.find((n) => n.state === 'ACTIVE')!;
    const replace = 'mutation($n: ID!, $i: String!) { replaceSim(numberId: $n, iccid: $i) { id } }';
    const vars = { n: toGlobalId('Number', active.id), i: '89970000000000000001' };
    expect(code(await t.gql(replace, vars))).toBe('APPROVAL_REQUIRED');
    const key = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "Swap", scope: OPERATE) { secret } }', { c: company });
    expect(code(await t.request(replace, vars, { authorization: `Bearer ${key.data!.createApiKey.secret}` }))).toBe('APPROVAL_REQUIRED');
  });

  it('holds a job above the threshold for a second administrator: e-mailed, not self-approvable, started once approved', async () => {
    await t.gql(POLICY, { c: company, sim: false, n: 1 });
    const targets = numbers.filter((n) => !n.smsUssdBan).slice(0, 2);
    const { plan, operation } = await start(ban(targets.map((n) => n.id)));
    expect(plan.approvalRequired).toBe(true);
    expect(operation).toMatchObject({ status: 'AWAITING_APPROVAL', approvalRequired: true, canDecide: false, counts: { pending: 2 } });
    expect(Date.parse(operation.approvalExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600_000);

    // The other administrators hear of it; the requester does not.
    const mail = await inbox.to(second.email);
    expect(mail.subject).toMatch(/^Approval needed/);
    expect(mail.text).toContain(`number ${targets[0].msisdn} and 1 more numbers`);
    const [requester] = await sql(
      `SELECT a.email FROM cabinet.administrators a WHERE a.phone = (SELECT actor_phone FROM cabinet.bulk_operations WHERE id = $1)`,
      [Buffer.from(operation.id, 'base64url').toString().split(':')[1]],
    );
    expect(inbox.messages.some((m) => JSON.stringify(m.to).includes(requester.email))).toBe(false);

    expect(code(await t.gql(APPROVE, { id: operation.id }))).toBe('SELF_APPROVAL');
    const seen = await as(t, second.cookie)(`query($id: ID!) { bulkOperation(id: $id) { canDecide } }`, { id: operation.id });
    expect(seen.data!.bulkOperation.canDecide).toBe(true);
    const approved = await as(t, second.cookie)(APPROVE, { id: operation.id, comment: 'Checked with the fleet manager' });
    expect(approved.data!.approveBulkOperation.decision).toEqual({
      approved: true,
      by: { name: 'Second Administrator' },
      comment: 'Checked with the fleet manager',
    });
    const done = await until(operation.id, ['FINISHED']);
    expect(done.counts).toMatchObject({ success: 2, pending: 0 });
    const banned = await sql(`SELECT count(*)::int AS n FROM billing.numbers WHERE id = ANY($1) AND sms_ussd_ban`, [targets.map((n) => n.id)]);
    expect(banned[0].n).toBe(2);
    const history = await sql(`SELECT action, actor_name AS actor FROM cabinet.action_log WHERE action = 'BULK_APPROVED' ORDER BY id DESC LIMIT 1`);
    expect(history[0]).toEqual({ action: 'BULK_APPROVED', actor: 'Second Administrator' });
    // Decided once: a second decision is refused.
    expect(code(await as(t, third.cookie)(REJECT, { id: operation.id, comment: 'Too late' }))).toBe('CONFLICT');
  });

  it('treats a request made with a key as its creator’s: the creator cannot approve it, another administrator can', async () => {
    await t.gql(POLICY, { c: company, sim: false, n: 1 });
    const key = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "Fleet", scope: OPERATE) { secret } }', { c: company });
    const bearer = { authorization: `Bearer ${key.data!.createApiKey.secret}` };
    const targets = numbers.slice(0, 3).map((n) => n.id);
    const { operation } = await start({ ...ban(targets), enabled: false }, (q, v) => t.request(q, v, bearer));
    expect(operation.status).toBe('AWAITING_APPROVAL');
    expect(code(await t.gql(APPROVE, { id: operation.id }))).toBe('SELF_APPROVAL');
    expect(code(await t.request(APPROVE, { id: operation.id }, bearer))).toBe('FORBIDDEN');
    expect(code(await as(t, third.cookie)(REJECT, { id: operation.id, comment: '' }))).toBe('BAD_USER_INPUT');
    const rejected = await as(t, third.cookie)(REJECT, { id: operation.id, comment: 'Not this week' });
    expect(rejected.data!.rejectBulkOperation).toMatchObject({ status: 'REJECTED', decision: { approved: false, comment: 'Not this week' } });
    expect(rejected.data!.rejectBulkOperation.counts.pending).toBe(0);
    const [entry] = await sql(`SELECT l.status FROM cabinet.action_log l JOIN cabinet.bulk_operations b ON b.action_log_id = l.id WHERE b.id = $1`, [
      Buffer.from(operation.id, 'base64url').toString().split(':')[1],
    ]);
    expect(entry.status).toBe('FAILURE');
  });

  it('lets exactly one of many simultaneous decisions through', async () => {
    await t.gql(POLICY, { c: company, sim: false, n: 1 });
    const { operation } = await start({ ...ban(numbers.slice(0, 2).map((n) => n.id)), enabled: false });
    const decisions = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 ? as(t, second.cookie)(APPROVE, { id: operation.id }) : as(t, third.cookie)(REJECT, { id: operation.id, comment: `No ${i}` }),
      ),
    );
    const passed = decisions.filter((res) => !res.errors);
    expect(passed).toHaveLength(1);
    expect(new Set(decisions.filter((res) => res.errors).map(code))).toEqual(new Set(['CONFLICT']));
    const decided = await sql(
      `SELECT count(*)::int AS n FROM cabinet.action_log WHERE action IN ('BULK_APPROVED', 'BULK_REJECTED') AND bulk_operation_id = $1`,
      [Buffer.from(operation.id, 'base64url').toString().split(':')[1]],
    );
    expect(decided[0].n).toBe(1);
  });

  it('expires a request undecided for 24 hours: refused then, and closed by its expiry job', async () => {
    await t.gql(POLICY, { c: company, sim: false, n: 1 });
    const { operation } = await start({ ...ban(numbers.slice(2, 4).map((n) => n.id)), enabled: false });
    const id = Buffer.from(operation.id, 'base64url').toString().split(':')[1];
    await sql(`UPDATE cabinet.bulk_operations SET created_at = now() - interval '25 hours' WHERE id = $1`, [id]);
    expect(code(await as(t, second.cookie)(APPROVE, { id: operation.id }))).toBe('APPROVAL_EXPIRED');
    // The expiry job was sent for 24 hours after the request: run it now.
    await sql(`UPDATE pgboss.job SET start_after = now() WHERE name = 'bulk-approval' AND data->>'bulkOperationId' = $1 AND data->>'step' = 'EXPIRY'`, [id]);
    const expired = await until(operation.id, ['EXPIRED']);
    expect(expired.counts).toMatchObject({ pending: 0, cancelled: 2 });
    const [entry] = await sql(`SELECT count(*)::int AS n FROM cabinet.action_log WHERE action = 'BULK_APPROVAL_EXPIRED' AND bulk_operation_id = $1`, [id]);
    expect(entry.n).toBe(1);
  });

  it('refuses a start in the past, moves and cancels a scheduled operation until it starts', async () => {
    const past = await t.gql(SUBMIT, { input: { companyId: company, ...ban([numbers[0].id]), startAt: new Date(Date.now() - 60_000) }, dryRun: true });
    expect(code(past)).toBe('SCHEDULE_IN_PAST');
    const at = new Date(Date.now() + 3600_000);
    const { operation } = await start({ ...ban([numbers[0].id]), startAt: at });
    expect(operation).toMatchObject({ status: 'SCHEDULED', startAt: at.toISOString() });
    const listed = await t.gql(`query($c: ID!, $n: ID) { bulkOperations(companyId: $c, statuses: [SCHEDULED], numberId: $n) { edges { node { id } } } }`, {
      c: company,
      n: toGlobalId('Number', numbers[0].id),
    });
    expect(listed.data!.bulkOperations.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(operation.id);
    expect(code(await t.gql(RESCHEDULE, { id: operation.id, at: new Date(Date.now() - 1000) }))).toBe('SCHEDULE_IN_PAST');
    const later = new Date(Date.now() + 7200_000);
    expect((await t.gql(RESCHEDULE, { id: operation.id, at: later })).data!.rescheduleBulkOperation.startAt).toBe(later.toISOString());
    const cancelled = await t.gql(CANCEL, { id: operation.id });
    expect(cancelled.data!.cancelBulkOperation.status).toBe('CANCELLED');
    expect(code(await t.gql(RESCHEDULE, { id: operation.id, at: later }))).toBe('CONFLICT');
  });

  it('starts a scheduled operation at its time although no worker was up then, once, with the dry run repeated', async () => {
    const targets = numbers.filter((n) => n.state === 'BLOCKED').slice(0, 2);
    expect(targets).toHaveLength(2);
    const unblock = { kind: 'UNBLOCK_NUMBER', selection: { numberIds: targets.map((n) => toGlobalId('Number', n.id)) } };
    // Accepted by a gateway without workers; the start time passes while none is up.
    const { operation } = await start({ ...unblock, startAt: new Date(Date.now() + 1500) }, queued.gql);
    const id = Buffer.from(operation.id, 'base64url').toString().split(':')[1];
    await t.close();
    // Meanwhile one of its numbers is unblocked by hand: at the start it no longer applies and is skipped, not forced.
    await queued.db.dataSource.query(`UPDATE billing.numbers SET state = 'ACTIVE' WHERE id = $1`, [targets[1].id]);
    await sleep(2500);
    expect((await queued.db.dataSource.query(`SELECT status FROM cabinet.bulk_operations WHERE id = $1`, [id]))[0].status).toBe('SCHEDULED');
    t = await startTestApp('mercurius', { db, jobs: WORKER });
    const done = await until(operation.id, ['FINISHED'], 30_000);
    expect(done.counts).toMatchObject({ success: 1, skipped: 1 });
    const ops = await sql(`SELECT number_id AS "numberId", status FROM cabinet.operations WHERE bulk_operation_id = $1`, [id]);
    expect(ops).toEqual([{ numberId: targets[0].id, status: 'SUCCESS' }]);
    expect((await sql(`SELECT state FROM billing.numbers WHERE id = $1`, [targets[0].id]))[0].state).toBe('ACTIVE');
  });
});
