import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { seedDemo } from '../db/seed/seed';
import { toGlobalId } from '../core/ids';
import { createAdministrator, TEST_PASSWORD } from '../test/app';
import { createTestDatabase, type TestDatabase } from '../test/database';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });

async function startGateway(databaseUrl: string, env: Record<string, string>): Promise<{ process: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl, PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { process: child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gateway did not become ready');
}

async function graphql(url: string, query: string, variables: Record<string, unknown>, cookie?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { body: (await response.json()) as { data?: any; errors?: any[] }, setCookie: response.headers.get('set-cookie') };
}

describe('two gateway processes on one database, one per engine', () => {
  let db: TestDatabase;
  const gateways: ChildProcess[] = [];
  let client: Client | undefined;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the gateway first (npm test does)`);
    db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
  });
  afterAll(async () => {
    await client?.dispose();
    for (const gateway of gateways) gateway.kill('SIGTERM');
    await Promise.all(gateways.map((g) => (g.exitCode === null ? new Promise((r) => g.once('exit', r)) : Promise.resolve())));
    await db.drop();
  });

  it('deliver "In process" then "Blocked" to a subscriber of one, for a block made through the other', async () => {
    const a = await startGateway(db.url, { RUN_WORKER: 'false', GATEWAY_ENGINE: 'apollo' });
    gateways.push(a.process);
    const b = await startGateway(db.url, { RUN_WORKER: 'true', BILLING_DELAY_MS: '300', GATEWAY_ENGINE: 'mercurius' });
    gateways.push(b.process);

    const [company] = await db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    const [number] = await db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = '77010542006'`);
    const admin = await createAdministrator(db, { companyIds: [company.id] });
    const login = await graphql(b.url, 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
    const cookie = login.setCookie!.split(';')[0];

    const received: { sequence: number; state: string }[] = [];
    client = createClient({
      url: `${a.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie } });
        }
      },
      retryAttempts: 0,
    });
    const done = new Promise<void>((resolve, reject) => {
      client!.subscribe<{ numberChanged: { sequence: number; number: { msisdn: string; state: string } } }>(
        {
          query: 'subscription($c: ID!) { numberChanged(companyId: $c) { sequence number { msisdn state } } }',
          variables: { c: toGlobalId('Company', company.id) },
        },
        {
          next: ({ data, errors }) => {
            if (errors) return reject(new Error(JSON.stringify(errors)));
            received.push({ sequence: data!.numberChanged.sequence, state: data!.numberChanged.number.state });
            if (data!.numberChanged.number.state === 'BLOCKED') resolve();
          },
          error: reject,
          complete: () => resolve(),
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300));

    const block = await graphql(b.url, 'mutation($n: ID!) { blockNumber(numberId: $n) { status } }', { n: toGlobalId('Number', number.id) }, cookie);
    expect(block.body.data?.blockNumber.status).toBe('IN_PROCESS');
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`events so far: ${JSON.stringify(received)}`)), 20_000))]);

    expect(received.map((e) => e.state)).toEqual(['IN_PROCESS', 'BLOCKED']);
    expect(received[1].sequence).toBe(received[0].sequence + 1);
  });
});
