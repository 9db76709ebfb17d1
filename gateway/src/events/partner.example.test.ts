import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishEvent } from '../core/events';
import { toGlobalId } from '../core/ids';
import { startTestApp, type TestApp } from '../test/app';
import { until } from '../test/until';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'partner', 'partner.mjs');
const RECEIVER = join(__dirname, '..', '..', 'examples', 'partner', 'receiver.mjs');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const linesOf = (file: string): { sequence: number; cursor: string; msisdn: string }[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];

describe('the partner example (gateway/examples/partner)', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  let follower: ChildProcess | undefined;
  const output: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('mercurius');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'cabinet-partner-'));
  });
  afterAll(async () => {
    follower?.kill('SIGKILL');
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives every change once, in order, across a kill -9 and a restart from the cursor in its file', async () => {
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    const numbers: { id: number; msisdn: string }[] = await t.db.dataSource.query(
      `SELECT id, msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY id LIMIT 3`,
      [company.id],
    );
    const companyId = toGlobalId('Company', company.id);
    const created = await t.gql('mutation($c: ID!) { createApiKey(companyId: $c, name: "Fleet sync", scope: READ) { secret } }', { c: companyId });
    const start = await t.gql('query($c: ID!) { events(companyId: $c, first: 1) { pageInfo { endCursor } } }', { c: companyId });
    const file = join(dir, 'events.jsonl');
    const env = {
      ...process.env,
      CABINET_URL: url,
      CABINET_KEY: created.data!.createApiKey.secret,
      COMPANY_ID: companyId,
      START_AFTER: start.data!.events.pageInfo.endCursor,
    };
    const run = () => {
      const child = spawn(process.execPath, [EXAMPLE, file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (chunk) => output.push(String(chunk)));
      child.stderr!.on('data', (chunk) => output.push(String(chunk)));
      return child;
    };
    let published = 0;
    const publish = async (count: number, gapMs = 0) => {
      for (let i = 0; i < count; i++, published++) {
        if (gapMs) await sleep(gapMs);
        await publishEvent(t.db.dataSource, { topic: 'NUMBER_CHANGED', companyId: company.id, payload: { numberId: numbers[published % 3].id } });
      }
    };

    // Events made before the follower ever ran are in the log after START_AFTER: it reads them first.
    await publish(5);
    follower = run();
    await until('the first five events', () => linesOf(file).length >= 5);
    // Killed in the middle of a stream, while events keep coming.
    const streaming = publish(20, 25);
    await until('some of the stream', () => linesOf(file).length >= 8);
    follower.kill('SIGKILL');
    expect(linesOf(file).length).toBeLessThan(25);
    await streaming;
    await publish(10);
    follower = run();
    await publish(10);
    await until('every event', () => linesOf(file).length >= published, 20_000);
    await sleep(300);

    const lines = linesOf(file);
    const first = lines[0].sequence;
    expect(lines.map((l) => l.sequence)).toEqual(Array.from({ length: published }, (_, i) => first + i));
    expect(lines.map((l) => l.msisdn)).toEqual(Array.from({ length: published }, (_, i) => numbers[i % 3].msisdn));
    expect(output.join('')).toMatch(/following TOO Кабинет from sequence \d+/);
  }, 60_000);
});

/** A port nobody listens on now, for a process that must be started (and restarted) on the same one. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the partner example’s webhook receiver (gateway/examples/partner/receiver.mjs)', () => {
  let t: TestApp;
  let dir: string;
  let receiver: ChildProcess | undefined;
  const output: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('mercurius', {
      jobs: { billingDelayMs: 0 },
      config: { webhookAllowLoopback: true, webhookRetryBaseMs: 200, webhookPollMs: 50 },
    });
    dir = mkdtempSync(join(tmpdir(), 'cabinet-receiver-'));
  });
  afterAll(async () => {
    receiver?.kill('SIGKILL');
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every event once across a kill -9, and refuses forged and replayed requests', async () => {
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    const numbers: { id: number }[] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY id LIMIT 3`, [company.id]);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/cabinet`;
    const created = await t.gql('mutation($c: ID!, $i: CreateWebhookEndpointInput!) { createWebhookEndpoint(companyId: $c, input: $i) { secret } }', {
      c: toGlobalId('Company', company.id),
      i: { name: 'ERP', url, eventTypes: ['NUMBER_CHANGED'] },
    });
    const secret: string = created.data!.createWebhookEndpoint.secret;
    const file = join(dir, 'webhooks.jsonl');
    const run = async () => {
      const child = spawn(process.execPath, [RECEIVER, file], {
        env: { ...process.env, WEBHOOK_SECRET: secret, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk) => output.push(String(chunk)));
      child.stderr!.on('data', (chunk) => output.push(String(chunk)));
      await until('the receiver listening', () => output.join('').includes(`receiving on http://127.0.0.1:${port}/`));
      output.length = 0;
      return child;
    };
    const lines = () => linesOf(file) as unknown as { id: string; type: string; data: { numberId: string } }[];
    const publish = async (count: number, gapMs = 0) => {
      for (let i = 0; i < count; i++) {
        if (gapMs) await sleep(gapMs);
        await publishEvent(t.db.dataSource, { topic: 'NUMBER_CHANGED', companyId: company.id, payload: { numberId: numbers[i % 3].id } });
      }
    };

    receiver = await run();
    await publish(10);
    await until('the first ten events', () => lines().length >= 10);
    // Killed while deliveries keep coming: those it did not answer are delivered again once it is back.
    const streaming = publish(15, 20);
    await until('some of the stream', () => lines().length >= 12);
    receiver.kill('SIGKILL');
    await streaming;
    receiver = await run();
    await until('every event', () => lines().length >= 25, 30_000).catch(async (error) => {
      const states = await t.db.dataSource.query(`SELECT status, attempt_count, next_attempt_at - now() AS wait FROM cabinet.webhook_deliveries ORDER BY id`);
      const endpoint = await t.db.dataSource.query(`SELECT enabled, consecutive_failures FROM cabinet.webhook_endpoints`);
      throw new Error(`${error.message}: ${lines().length} written; ${JSON.stringify({ states, endpoint, output })}`);
    });
    await sleep(500);

    const written = lines();
    expect(written).toHaveLength(25);
    expect(new Set(written.map((line) => line.id)).size).toBe(25);
    expect(written.every((line) => line.type === 'NUMBER_CHANGED')).toBe(true);
    const [{ delivered }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS delivered FROM cabinet.webhook_deliveries WHERE status = 'SUCCEEDED' AND topic = 'NUMBER_CHANGED'`,
    );
    expect(delivered).toBe(25);

    // Forged: signed with another secret; replayed: a correct signature of a timestamp ten minutes old.
    const body = JSON.stringify({ id: 'hand-signed-1', type: 'NUMBER_CHANGED', data: {} });
    const sign = (key: string, timestamp: number) => `v1=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const post = (timestamp: number, signature: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'cabinet-webhook-id': 'hand-signed-1',
          'cabinet-webhook-timestamp': String(timestamp),
          'cabinet-webhook-signature': signature,
        },
        body,
      }).then((response) => response.status);
    expect(await post(now, sign('whsec_not-the-secret', now))).toBe(401);
    expect(await post(now - 600, sign(secret, now - 600))).toBe(401);
    expect(await post(now, sign(secret, now))).toBe(204);
    expect(lines().map((line) => line.id)).toContain('hand-signed-1');
    expect(lines()).toHaveLength(26);
  }, 90_000);
});
