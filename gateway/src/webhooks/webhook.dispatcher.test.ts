import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { encodeCursor } from '../core/event-log';
import { publishEvent } from '../core/events';
import { toGlobalId } from '../core/ids';
import type { Language } from '../core/language';
import { createMailer, type Mailer } from '../delivery/mail';
import { startTestApp, type TestApp } from '../test/app';
import { until } from '../test/until';
import { createWebhookDispatcher, type DispatcherOptions } from './webhook.dispatcher';
import { DEFAULT_DISPATCHER_OPTIONS } from './webhook.jobs';
import { WEBHOOK_HEADERS } from './webhook.signature';
import { DISABLED_MAIL } from './webhook.texts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

/** A real HTTP receiver on loopback that answers each request with the next of `answers` (then 200), or holds it. */
async function startReceiver(answers: (number | 'hold' | { status: number; body: string; location?: string })[] = []) {
  const received: Received[] = [];
  const held: (() => void)[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), path: request.url ?? '' });
      const answer = answers.shift() ?? 200;
      if (answer === 'hold') {
        held.push(() => response.destroy());
        return;
      }
      const { status, body, location } = typeof answer === 'number' ? { status: answer, body: text(answer), location: undefined } : answer;
      response.writeHead(status, location ? { location } : {});
      response.end(body);
    });
  });
  const text = (code: number) => (code < 300 ? 'ok' : `failed with ${code}`);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cabinet`,
    port,
    received,
    async close() {
      for (const release of held) release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const FAST: DispatcherOptions = {
  ...DEFAULT_DISPATCHER_OPTIONS,
  allowLoopback: true,
  timeoutMs: 1000,
  retryBaseMs: 40,
  disableAfterFailures: 4,
  disableAfterMinutes: 0,
  pollMs: 20,
};
const silent = pino({ level: 'silent' });

describe('webhook delivery', () => {
  let t: TestApp;
  let companyId: number;
  let outbox: string;
  let mailer: Mailer;
  const receivers: { close(): Promise<void> }[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    t = await startTestApp('mercurius', { config: { webhookAllowLoopback: true } });
    [{ id: companyId }] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    outbox = await mkdtemp(join(tmpdir(), 'cabinet-webhooks-'));
    mailer = createMailer({ outboxDir: outbox, from: 'Cabinet <no-reply@cabinet.kcell.kz>' });
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const receiver of receivers) await receiver.close();
    await mailer.close();
    await rm(outbox, { recursive: true, force: true });
    await t.close();
  });
  beforeEach(async () => {
    // Each test has the company's endpoints to itself.
    await t.db.dataSource.query(`DELETE FROM cabinet.webhook_endpoints`);
  });

  const receiver = async (answers: Parameters<typeof startReceiver>[0] = []) => {
    const started = await startReceiver(answers);
    receivers.push(started);
    return started;
  };
  const register = async (url: string, eventTypes = ['NUMBER_CHANGED']) => {
    const res = await t.gql(
      'mutation($c: ID!, $i: CreateWebhookEndpointInput!) { createWebhookEndpoint(companyId: $c, input: $i) { endpoint { id } secret } }',
      { c: toGlobalId('Company', companyId), i: { name: 'ERP', url, eventTypes } },
    );
    expect(res.errors).toBeUndefined();
    const { endpoint, secret } = res.data!.createWebhookEndpoint;
    return { id: endpoint.id as string, databaseId: Number(Buffer.from(endpoint.id, 'base64url').toString().split(':')[1]), secret: secret as string };
  };
  const publish = (numberId: number, topic = 'NUMBER_CHANGED') => publishEvent(t.db.dataSource, { topic, companyId, payload: { numberId, state: 'ACTIVE' } });
  const dispatcher = (options: Partial<DispatcherOptions> = {}) =>
    createWebhookDispatcher({ dataSource: t.db.dataSource, log: silent, mailer, options: { ...FAST, ...options } });
  const deliveries = (endpointId: number) =>
    t.db.dataSource.query(
      `SELECT d.id::int, d.status, d.attempt_count AS "attemptCount", d.event_position::int AS position,
              (SELECT json_agg(json_build_object('status', a.status_code, 'error', a.error, 'body', a.response_body) ORDER BY a.id)
               FROM cabinet.webhook_attempts a WHERE a.delivery_id = d.id) AS attempts
       FROM cabinet.webhook_deliveries d WHERE d.endpoint_id = $1 ORDER BY d.id`,
      [endpointId],
    );

  it('POSTs the event as JSON, signed with HMAC-SHA256 of the timestamp and the body', async () => {
    const hook = await receiver();
    const endpoint = await register(hook.url);
    const { position } = await publish(4242);
    await publish(4243, 'REPORT_CHANGED'); // not subscribed
    expect(await dispatcher().runOnce()).toBe(1);

    expect(hook.received).toHaveLength(1);
    const [{ headers, body, path }] = hook.received;
    expect(path).toBe('/hooks/cabinet');
    expect(headers['content-type']).toBe('application/json');
    const timestamp = headers[WEBHOOK_HEADERS.timestamp.toLowerCase()] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(10);
    const expected = createHmac('sha256', endpoint.secret).update(`${timestamp}.${body}`).digest('hex');
    expect(headers[WEBHOOK_HEADERS.signature.toLowerCase()]).toBe(`v1=${expected}`);
    const event = JSON.parse(body);
    expect(event).toEqual({
      id: encodeCursor(companyId, position),
      type: 'NUMBER_CHANGED',
      companyId: toGlobalId('Company', companyId),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { numberId: toGlobalId('Number', 4242), state: 'ACTIVE' },
    });
    expect(headers[WEBHOOK_HEADERS.id.toLowerCase()]).toBe(event.id);
    expect(await deliveries(endpoint.databaseId)).toEqual([
      { id: expect.any(Number), status: 'SUCCEEDED', attemptCount: 1, position, attempts: [{ status: 200, error: null, body: 'ok' }] },
    ]);
  });

  it('retries a receiver that fails with 500 and delivers once it recovers, with the same event id', async () => {
    const hook = await receiver([500, 500]);
    const endpoint = await register(hook.url);
    await publish(1);
    const worker = dispatcher();
    const [delivery] = await until('the delivery to succeed', async () => {
      await worker.runOnce();
      const rows = await deliveries(endpoint.databaseId);
      return rows[0]?.status === 'SUCCEEDED' ? rows : undefined;
    });
    expect(delivery.attempts.map((a: { status: number }) => a.status)).toEqual([500, 500, 200]);
    expect(delivery.attempts[0].error).toBe('answered 500');
    expect(new Set(hook.received.map((r) => r.headers[WEBHOOK_HEADERS.id.toLowerCase()])).size).toBe(1);
    const [endpointRow] = await t.db.dataSource.query(`SELECT consecutive_failures AS n, enabled FROM cabinet.webhook_endpoints WHERE id = $1`, [
      endpoint.databaseId,
    ]);
    expect(endpointRow).toEqual({ n: 0, enabled: true });
  });

  it('waits twice as long before each retry', async () => {
    const hook = await receiver([500, 500, 500]);
    const endpoint = await register(hook.url);
    await publish(2);
    const worker = dispatcher({ retryBaseMs: 60_000 });
    await worker.runOnce();
    const [first] = await t.db.dataSource.query(
      `SELECT extract(epoch FROM next_attempt_at - now())::float AS wait, status FROM cabinet.webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.databaseId],
    );
    expect(first.status).toBe('PENDING');
    expect(first.wait).toBeGreaterThan(50);
    expect(first.wait).toBeLessThan(61);
    await t.db.dataSource.query(`UPDATE cabinet.webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = $1`, [endpoint.databaseId]);
    await worker.runOnce();
    const [second] = await t.db.dataSource.query(
      `SELECT extract(epoch FROM next_attempt_at - now())::float AS wait FROM cabinet.webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.databaseId],
    );
    expect(second.wait).toBeGreaterThan(110);
    expect(second.wait).toBeLessThan(121);
  });

  it('gives a delivery up once its retries would go past the retry window', async () => {
    const hook = await receiver([500]);
    const endpoint = await register(hook.url);
    await publish(3);
    await t.db.dataSource.query(`UPDATE cabinet.webhook_deliveries SET retry_from = now() - interval '24 hours' WHERE endpoint_id = $1`, [endpoint.databaseId]);
    await dispatcher({ retryWindowMs: 24 * 3600_000 }).runOnce();
    expect((await deliveries(endpoint.databaseId)).map((d: { status: string }) => d.status)).toEqual(['FAILED']);
  });

  it('disables an endpoint after a run of failures and e-mails the company’s administrators; redelivery sends the failed ones after it is enabled', async () => {
    const hook = await receiver([503, 503, 503, 503]);
    const endpoint = await register(hook.url);
    for (const numberId of [11, 12]) await publish(numberId);
    const worker = dispatcher({ retryBaseMs: 10 });
    await until('the endpoint to be disabled', async () => {
      await worker.runOnce();
      const [row] = await t.db.dataSource.query(`SELECT enabled, disabled_reason AS reason FROM cabinet.webhook_endpoints WHERE id = $1`, [
        endpoint.databaseId,
      ]);
      return row.enabled ? undefined : row;
    });
    expect(hook.received).toHaveLength(4);
    expect((await deliveries(endpoint.databaseId)).map((d: { status: string }) => d.status)).toEqual(['FAILED', 'FAILED']);

    const mails = await Promise.all((await readdir(outbox)).map(async (file) => simpleParser(await readFile(join(outbox, file)))));
    const administrators: { email: string; language: string }[] = await t.db.dataSource.query(
      `SELECT a.email, a.language::text AS language FROM cabinet.administrators a JOIN cabinet.grants g ON g.administrator_id = a.id WHERE g.company_id = $1`,
      [companyId],
    );
    expect(mails.map((mail) => mail.to && 'text' in mail.to && mail.to.text).sort()).toEqual(administrators.map((a) => a.email).sort());
    for (const administrator of administrators) {
      const mail = mails.find((m) => m.to && 'text' in m.to && m.to.text === administrator.email)!;
      expect(mail.subject).toBe(DISABLED_MAIL[administrator.language as Language].subject('ERP'));
      expect(mail.text).toContain(hook.url);
    }

    // Disabled: new events make no delivery, nothing is sent.
    await publish(13);
    expect(await deliveries(endpoint.databaseId)).toHaveLength(2);
    expect(await worker.runOnce()).toBe(0);

    const refused = await t.gql('mutation($e: ID!) { redeliverWebhooks(id: $e) }', { e: endpoint.id });
    expect(refused.errors?.[0].extensions?.code).toBe('WEBHOOK_ENDPOINT_DISABLED');
    const enabled = await t.gql(
      'mutation($e: ID!) { updateWebhookEndpoint(id: $e, input: { enabled: true }) { enabled consecutiveFailures disabledReason } }',
      {
        e: endpoint.id,
      },
    );
    expect(enabled.data!.updateWebhookEndpoint).toEqual({ enabled: true, consecutiveFailures: 0, disabledReason: null });
    const redelivered = await t.gql('mutation($e: ID!) { redeliverWebhooks(id: $e) }', { e: endpoint.id });
    expect(redelivered.data!.redeliverWebhooks).toBe(2);
    expect(await worker.runOnce()).toBe(2);
    expect((await deliveries(endpoint.databaseId)).map((d: { status: string }) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('does not disable an endpoint for a burst of failures shorter than WEBHOOK_DISABLE_AFTER_MINUTES, and does once the run has lasted that long', async () => {
    const answers: number[] = Array(12).fill(503);
    const hook = await receiver(answers);
    const endpoint = await register(hook.url);
    for (const numberId of [21, 22, 23, 24, 25, 26]) await publish(numberId);
    const worker = dispatcher({ retryBaseMs: 10, disableAfterMinutes: 60 });
    await until('twelve failed attempts', async () => {
      await worker.runOnce();
      return hook.received.length >= 12 ? true : undefined;
    });
    const state = () =>
      t.db.dataSource
        .query(`SELECT enabled, consecutive_failures AS failures, failing_since IS NOT NULL AS failing FROM cabinet.webhook_endpoints WHERE id = $1`, [
          endpoint.databaseId,
        ])
        .then((rows: { enabled: boolean; failures: number; failing: boolean }[]) => rows[0]);
    // Three times the count that disables, within seconds: still enabled, and every delivery still pending.
    expect(await state()).toEqual({ enabled: true, failures: 12, failing: true });
    expect((await deliveries(endpoint.databaseId)).every((d: { status: string }) => d.status === 'PENDING')).toBe(true);

    // The receiver answers again: the run of failures ends and everything arrives.
    await until('every delivery', async () => {
      await worker.runOnce();
      const statuses = (await deliveries(endpoint.databaseId)).map((d: { status: string }) => d.status);
      return statuses.every((status: string) => status === 'SUCCEEDED') ? true : undefined;
    });
    expect(await state()).toEqual({ enabled: true, failures: 0, failing: false });

    // A run that began over an hour ago disables the endpoint at its next failure past the count.
    answers.push(503);
    await t.db.dataSource.query(`UPDATE cabinet.webhook_endpoints SET consecutive_failures = 4, failing_since = now() - interval '61 minutes' WHERE id = $1`, [
      endpoint.databaseId,
    ]);
    await publish(27);
    await until('the endpoint to be disabled', async () => {
      await worker.runOnce();
      return (await state()).enabled ? undefined : true;
    });
  });

  it('never delivers an event whose transaction rolled back', async () => {
    const hook = await receiver();
    const endpoint = await register(hook.url);
    await t.db.dataSource
      .transaction(async (manager) => {
        await publishEvent(manager, { topic: 'NUMBER_CHANGED', companyId, payload: { numberId: 666 } });
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    await publish(667);
    await dispatcher().runOnce();
    expect(hook.received.map((r) => JSON.parse(r.body).data.numberId)).toEqual([toGlobalId('Number', 667)]);
    expect(await deliveries(endpoint.databaseId)).toHaveLength(1);
  });

  it('refuses at delivery an address that became private: loopback when it is not allowed', async () => {
    const hook = await receiver();
    const endpoint = await register(`http://localhost:${hook.port}/hooks`);
    await publish(5);
    await dispatcher({ allowLoopback: false, disableAfterFailures: 100 }).runOnce();
    expect(hook.received).toHaveLength(0);
    const [delivery] = await deliveries(endpoint.databaseId);
    expect(delivery.status).toBe('PENDING');
    expect(delivery.attempts).toEqual([
      { status: null, body: null, error: expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1), a LOOPBACK address$/) },
    ]);
  });

  it('follows no redirect, cuts off a receiver that does not answer and keeps only the first bytes of an answer', async () => {
    const target = await receiver();
    const hook = await receiver([{ status: 302, body: '', location: target.url }, 'hold', { status: 200, body: 'x'.repeat(100_000) }]);
    const endpoint = await register(hook.url);
    await publish(6);
    const worker = dispatcher({ timeoutMs: 300, retryBaseMs: 10, disableAfterFailures: 100 });
    await until('the delivery to succeed', async () => {
      await worker.runOnce();
      const [row] = await deliveries(endpoint.databaseId);
      return row.status === 'SUCCEEDED' ? row : undefined;
    });
    const [delivery] = await deliveries(endpoint.databaseId);
    expect(target.received).toHaveLength(0);
    expect(delivery.attempts[0]).toEqual({ status: 302, body: '', error: 'answered 302' });
    expect(delivery.attempts[1]).toEqual({ status: null, body: null, error: 'no answer within 300 ms' });
    expect(delivery.attempts[2]).toEqual({ status: 200, body: 'x'.repeat(512), error: null });
  });

  it('signs with both secrets during a rotation’s overlap, then with the new one only', async () => {
    const hook = await receiver();
    const endpoint = await register(hook.url);
    const rotated = await t.gql('mutation($e: ID!) { rotateWebhookSecret(id: $e, overlapHours: 2) { secret endpoint { previousSecretExpiresAt } } }', {
      e: endpoint.id,
    });
    const { secret } = rotated.data!.rotateWebhookSecret;
    expect(secret).not.toBe(endpoint.secret);
    await publish(7);
    await dispatcher().runOnce();
    const sign = (key: string, r: Received) =>
      createHmac('sha256', key).update(`${r.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]}.${r.body}`).digest('hex');
    expect(hook.received[0].headers[WEBHOOK_HEADERS.signature.toLowerCase()]).toBe(
      `v1=${sign(secret, hook.received[0])},v1=${sign(endpoint.secret, hook.received[0])}`,
    );

    const again = await t.gql('mutation($e: ID!) { rotateWebhookSecret(id: $e, overlapHours: 0) { secret endpoint { previousSecretExpiresAt } } }', {
      e: endpoint.id,
    });
    expect(again.data!.rotateWebhookSecret.endpoint.previousSecretExpiresAt).toBeNull();
    await publish(8);
    await dispatcher().runOnce();
    expect(hook.received[1].headers[WEBHOOK_HEADERS.signature.toLowerCase()]).toBe(`v1=${sign(again.data!.rotateWebhookSecret.secret, hook.received[1])}`);
  });

  it('loses no delivery when its worker is killed (kill -9) after sending and before recording: it is sent again', async () => {
    const hook = await receiver(['hold']);
    const endpoint = await register(hook.url);
    await publish(9);
    const env = {
      ...process.env,
      DATABASE_URL: t.db.url,
      LOG_LEVEL: 'silent',
      NODE_OPTIONS: '',
      SEED_DEMO: 'false',
      DATA_DIR: outbox,
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      WEBHOOK_POLL_MS: '20',
      WEBHOOK_TIMEOUT_MS: '500',
      WEBHOOK_RETRY_BASE_MS: '10',
    };
    const worker = spawn(process.execPath, [join(__dirname, '..', 'test', 'run-ts.cjs'), join(__dirname, '..', 'worker.ts')], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(worker);
    await until('the worker to send the delivery', async () => (hook.received.length > 0 ? true : undefined), 60_000);
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    const [midway] = await deliveries(endpoint.databaseId);
    expect(midway).toMatchObject({ status: 'PENDING', attemptCount: 0, attempts: null });

    // Another worker takes it over once the dead one's lease has run out.
    const rescuer = dispatcher({ timeoutMs: 500 });
    const [delivered] = await until('the delivery to be sent again', async () => {
      await rescuer.runOnce();
      const rows = await deliveries(endpoint.databaseId);
      return rows[0].status === 'SUCCEEDED' ? rows : undefined;
    });
    expect(delivered.attemptCount).toBe(1);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1].headers[WEBHOOK_HEADERS.id.toLowerCase()]).toBe(hook.received[0].headers[WEBHOOK_HEADERS.id.toLowerCase()]);
  }, 90_000);
});
