import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { publishEvent } from '../core/events';
import { toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { createWebhookDispatcher } from './webhook.dispatcher';
import { DEFAULT_DISPATCHER_OPTIONS } from './webhook.jobs';
import { TEST_EVENT_TYPE, WEBHOOK_HEADERS } from './webhook.signature';

const CREATE = `mutation($c: ID!, $i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(companyId: $c, input: $i) { secret endpoint { id name url eventTypes enabled consecutiveFailures } }
}`;
const DELIVERIES = `query($e: ID!, $n: Int, $a: String, $s: WebhookDeliveryStatus) {
  webhookEndpoint(id: $e) { deliveries(first: $n, after: $a, status: $s) {
    edges { node { id eventId eventType status attempts { attemptedAt statusCode durationMs responseBody error } } }
    pageInfo { hasNextPage endCursor }
  } }
}`;

describe.each(ENGINES)('webhook endpoints on %s', (engine) => {
  let t: TestApp;
  let head: { id: number; global: string };
  let branch: { id: number; global: string };
  let server: Server;
  let url: string;
  const answers: number[] = [];
  const received: { headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine, { config: { webhookAllowLoopback: true } });
    const companies: { id: number; name: string }[] = await t.db.dataSource.query(`SELECT id, name FROM billing.companies`);
    const of = (name: string) => {
      const id = companies.find((c) => c.name === name)!.id;
      return { id, global: toGlobalId('Company', id) };
    };
    head = of('TOO Кабинет');
    branch = of('Филиал TOO Кабинет');
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
        const status = answers.shift() ?? 200;
        response.writeHead(status);
        response.end(`answer ${status}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const create = (input: Record<string, unknown>, company = head.global, headers?: Record<string, string>) =>
    (headers ? t.request : t.gql)(CREATE, { c: company, i: { name: 'ERP', url, eventTypes: ['NUMBER_CHANGED'], ...input } }, headers);
  const created = async (input: Record<string, unknown> = {}, company = head.global) => {
    const res = await create(input, company);
    expect(res.errors).toBeUndefined();
    return res.data!.createWebhookEndpoint as { secret: string; endpoint: { id: string; url: string } };
  };
  const codeOf = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions;
  const dispatch = () =>
    createWebhookDispatcher({
      dataSource: t.db.dataSource,
      log: pino({ level: 'silent' }),
      options: { ...DEFAULT_DISPATCHER_OPTIONS, allowLoopback: true },
    }).runOnce();
  const keyOf = async (scope: 'READ' | 'OPERATE') => {
    const res = await t.gql('mutation($c: ID!, $s: ApiKeyScope!) { createApiKey(companyId: $c, name: "hooks", scope: $s) { secret } }', {
      c: head.global,
      s: scope,
    });
    return { authorization: `Bearer ${res.data!.createApiKey.secret}` };
  };

  it('registers an endpoint with a secret shown once, and lists it without the secret', async () => {
    const { secret, endpoint } = await created({ name: '  ERP   sync ', eventTypes: ['NUMBER_CHANGED', 'OPERATION_CHANGED', 'NUMBER_CHANGED'] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint).toMatchObject({ name: 'ERP sync', url, eventTypes: ['NUMBER_CHANGED', 'OPERATION_CHANGED'], enabled: true, consecutiveFailures: 0 });
    const list = await t.gql('query($c: ID!) { webhookEndpoints(companyId: $c) { id name } }', { c: head.global });
    expect(list.data!.webhookEndpoints).toContainEqual({ id: endpoint.id, name: 'ERP sync' });
    expect(JSON.stringify(list)).not.toContain(secret);
  });

  it.each([
    ['http://partner.example.kz/hook', 'SCHEME'],
    ['ftp://127.0.0.1/hook', 'SCHEME'],
    ['https://user:pass@127.0.0.1/hook', 'CREDENTIALS'],
    ['https://10.1.2.3/hook', 'PRIVATE_ADDRESS'],
    ['https://192.168.0.10/hook', 'PRIVATE_ADDRESS'],
    ['https://169.254.169.254/latest/meta-data', 'PRIVATE_ADDRESS'],
    ['https://100.64.0.1/hook', 'PRIVATE_ADDRESS'],
    ['https://[fd12:3456::1]/hook', 'PRIVATE_ADDRESS'],
    ['https://[fe80::1]/hook', 'PRIVATE_ADDRESS'],
    ['https://[::ffff:10.0.0.1]/hook', 'PRIVATE_ADDRESS'],
    ['https://224.0.0.1/hook', 'PRIVATE_ADDRESS'],
    ['https://0x0a000001/hook', 'PRIVATE_ADDRESS'],
  ])('refuses %s with WEBHOOK_URL_NOT_ALLOWED (%s)', async (target, reason) => {
    expect(codeOf(await create({ url: target }))).toEqual({ code: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url', reason });
  });

  it('refuses bad input with BAD_USER_INPUT naming the field', async () => {
    expect(codeOf(await create({ url: 'not a url' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(codeOf(await create({ url: `${url}#top` }))).toEqual({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(codeOf(await create({ name: '   ' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    expect(codeOf(await create({ eventTypes: [] }))).toEqual({ code: 'BAD_USER_INPUT', field: 'eventTypes' });
    const { endpoint } = await created();
    const rotate = await t.gql('mutation($e: ID!) { rotateWebhookSecret(id: $e, overlapHours: 169) { secret } }', { e: endpoint.id });
    expect(codeOf(rotate)).toEqual({ code: 'BAD_USER_INPUT', field: 'overlapHours' });
    const wrongKind = await t.gql('mutation($e: ID!) { sendTestWebhook(id: $e) { id } }', { e: head.global });
    expect(codeOf(wrongKind)).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('lets READ keys read only, and OPERATE keys manage endpoints', async () => {
    const { endpoint } = await created();
    const read = await keyOf('READ');
    const forbidden = [
      await create({}, head.global, read),
      await t.request('mutation($e: ID!) { updateWebhookEndpoint(id: $e, input: { name: "x" }) { id } }', { e: endpoint.id }, read),
      await t.request('mutation($e: ID!) { deleteWebhookEndpoint(id: $e) }', { e: endpoint.id }, read),
      await t.request('mutation($e: ID!) { rotateWebhookSecret(id: $e) { secret } }', { e: endpoint.id }, read),
      await t.request('mutation($e: ID!) { sendTestWebhook(id: $e) { id } }', { e: endpoint.id }, read),
      await t.request('mutation($e: ID!) { redeliverWebhooks(id: $e) }', { e: endpoint.id }, read),
    ];
    expect(forbidden.map((res) => codeOf(res)?.code)).toEqual(Array(6).fill('FORBIDDEN'));
    const listed = await t.request('query($c: ID!) { webhookEndpoints(companyId: $c) { id } }', { c: head.global }, read);
    expect(listed.data!.webhookEndpoints).toContainEqual({ id: endpoint.id });
    expect((await t.request(DELIVERIES, { e: endpoint.id }, read)).errors).toBeUndefined();

    const operate = await keyOf('OPERATE');
    const made = await create({ name: 'by key' }, head.global, operate);
    expect(made.errors).toBeUndefined();
    const id = made.data!.createWebhookEndpoint.endpoint.id;
    const removed = await t.request('mutation($e: ID!) { deleteWebhookEndpoint(id: $e) }', { e: id }, operate);
    expect(removed.data!.deleteWebhookEndpoint).toBe(id);
  });

  it('hides another company’s endpoints and deliveries: NOT_FOUND', async () => {
    const { endpoint } = await created({}, branch.global);
    await publishEvent(t.db.dataSource, { topic: 'NUMBER_CHANGED', companyId: branch.id, payload: { numberId: 1 } });
    const [delivery] = await t.db.dataSource.query(`SELECT id FROM cabinet.webhook_deliveries WHERE endpoint_id = $1`, [
      Number(Buffer.from(endpoint.id, 'base64url').toString().split(':')[1]),
    ]);
    const other = await createAdministrator(t.db, { companyIds: [head.id] });
    const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: other.phone, w: TEST_PASSWORD });
    const cookie = { cookie: sessionCookie(login.headers) };
    const attempts = [
      await t.request('query($e: ID!) { webhookEndpoint(id: $e) { id } }', { e: endpoint.id }, cookie),
      await t.request('mutation($e: ID!) { updateWebhookEndpoint(id: $e, input: { enabled: false }) { id } }', { e: endpoint.id }, cookie),
      await t.request('mutation($e: ID!) { deleteWebhookEndpoint(id: $e) }', { e: endpoint.id }, cookie),
      await t.request('mutation($e: ID!) { rotateWebhookSecret(id: $e) { secret } }', { e: endpoint.id }, cookie),
      await t.request('mutation($e: ID!) { sendTestWebhook(id: $e) { id } }', { e: endpoint.id }, cookie),
      await t.request('mutation($e: ID!) { redeliverWebhooks(id: $e) }', { e: endpoint.id }, cookie),
      await t.request('mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { id } }', { d: toGlobalId('WebhookDelivery', delivery.id) }, cookie),
      await t.request('query($c: ID!) { webhookEndpoints(companyId: $c) { id } }', { c: branch.global }, cookie),
      await create({}, branch.global, cookie),
    ];
    expect(attempts.map((res) => codeOf(res)?.code)).toEqual(Array(9).fill('NOT_FOUND'));
    const mine = await t.request('query($c: ID!) { webhookEndpoints(companyId: $c) { id } }', { c: head.global }, cookie);
    expect(mine.data!.webhookEndpoints).not.toContainEqual({ id: endpoint.id });
  });

  it('shows each delivery with its attempts, pages them, sends a test and redelivers one', async () => {
    await t.db.dataSource.query(`DELETE FROM cabinet.webhook_endpoints`);
    const { endpoint, secret } = await created();
    const before = received.length;
    answers.push(500);
    for (const numberId of [101, 102, 103]) await publishEvent(t.db.dataSource, { topic: 'NUMBER_CHANGED', companyId: head.id, payload: { numberId } });
    await dispatch();
    const first = await t.gql(DELIVERIES, { e: endpoint.id, n: 2 });
    expect(first.errors).toBeUndefined();
    const page = first.data!.webhookEndpoint.deliveries;
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await t.gql(DELIVERIES, { e: endpoint.id, n: 2, a: page.pageInfo.endCursor });
    const all = [...page.edges, ...rest.data!.webhookEndpoint.deliveries.edges].map((edge: { node: Record<string, any> }) => edge.node);
    expect(all).toHaveLength(3);
    expect(rest.data!.webhookEndpoint.deliveries.pageInfo.hasNextPage).toBe(false);
    const failed = all.find((node) => node.attempts[0].statusCode === 500)!;
    expect(failed).toMatchObject({
      eventType: 'NUMBER_CHANGED',
      status: 'PENDING',
      attempts: [{ statusCode: 500, responseBody: 'answer 500', error: 'answered 500' }],
    });
    expect(failed.attempts[0].durationMs).toBeGreaterThanOrEqual(0);
    const events = await t.gql('query($c: ID!) { events(companyId: $c, types: [NUMBER_CHANGED]) { edges { cursor } } }', { c: head.global });
    expect(events.data!.events.edges.map((e: { cursor: string }) => e.cursor)).toEqual(expect.arrayContaining(all.map((node) => node.eventId)));

    const redelivered = await t.gql('mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { id status } }', { d: failed.id });
    expect(redelivered.data!.redeliverWebhook).toEqual({ id: failed.id, status: 'PENDING' });
    await dispatch();
    const after = await t.gql(DELIVERIES, { e: endpoint.id, s: 'SUCCEEDED' });
    expect(after.data!.webhookEndpoint.deliveries.edges).toHaveLength(3);

    const test = await t.gql('mutation($e: ID!) { sendTestWebhook(id: $e) { id eventType status } }', { e: endpoint.id });
    expect(test.data!.sendTestWebhook).toMatchObject({ eventType: TEST_EVENT_TYPE, status: 'PENDING' });
    await dispatch();
    const last = received.at(-1)!;
    expect(received.length - before).toBe(5);
    expect(JSON.parse(last.body)).toMatchObject({ type: TEST_EVENT_TYPE, companyId: head.global, data: {} });
    expect(last.headers[WEBHOOK_HEADERS.signature.toLowerCase()]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(secret).toMatch(/^whsec_/);
  });

  it('changes and disables an endpoint; a disabled one gets no deliveries', async () => {
    const { endpoint } = await created();
    const changed = await t.gql(
      'mutation($e: ID!) { updateWebhookEndpoint(id: $e, input: { name: "Billing", eventTypes: [REPORT_CHANGED], enabled: false }) { name eventTypes enabled disabledReason disabledAt } }',
      { e: endpoint.id },
    );
    expect(changed.data!.updateWebhookEndpoint).toMatchObject({ name: 'Billing', eventTypes: ['REPORT_CHANGED'], enabled: false, disabledReason: 'MANUAL' });
    expect(changed.data!.updateWebhookEndpoint.disabledAt).not.toBeNull();
    await publishEvent(t.db.dataSource, { topic: 'REPORT_CHANGED', companyId: head.id, payload: { reportId: 1, status: 'SENT' } });
    const deliveries = await t.gql(DELIVERIES, { e: endpoint.id });
    expect(deliveries.data!.webhookEndpoint.deliveries.edges).toEqual([]);
    const refused = await t.gql('mutation($e: ID!) { updateWebhookEndpoint(id: $e, input: { url: "https://172.16.5.4/x" }) { id } }', { e: endpoint.id });
    expect(codeOf(refused)).toEqual({ code: 'WEBHOOK_URL_NOT_ALLOWED', field: 'url', reason: 'PRIVATE_ADDRESS' });
  });

  it('refuses a company’s endpoint beyond the limit with WEBHOOK_ENDPOINT_LIMIT', async () => {
    const [{ count }] = await t.db.dataSource.query(`SELECT count(*)::int AS count FROM cabinet.webhook_endpoints WHERE company_id = $1`, [branch.id]);
    for (let i = count; i < 20; i++) await created({ name: `hook ${i}` }, branch.global);
    expect(codeOf(await create({}, branch.global))?.code).toBe('WEBHOOK_ENDPOINT_LIMIT');
  });
});
