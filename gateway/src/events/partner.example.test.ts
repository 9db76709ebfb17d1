import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishEvent } from '../core/events';
import { toGlobalId } from '../core/ids';
import { startTestApp, type TestApp } from '../test/app';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'partner', 'partner.mjs');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const linesOf = (file: string): { sequence: number; cursor: string; msisdn: string }[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (check()) return;
  throw new Error(`not within ${ms} ms: ${what}`);
}

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
