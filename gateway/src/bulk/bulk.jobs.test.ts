import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { toGlobalId } from '../core/ids';
import { RequestDb } from '../core/db';
import { seedBulk } from '../db/seed/bulk';
import { seedDemo } from '../db/seed/seed';
import { startTestApp, type TestApp } from '../test/app';
import { createTestDatabase } from '../test/database';
import { beginBulkOperation, PROGRESS_EVERY_MS } from './bulk.service';

const NUMBERS = 300;
const RATE = 100;
const SUBMIT = `mutation($input: BulkOperationInput!, $dryRun: Boolean!, $token: String) {
  bulkOperation(input: $input, dryRun: $dryRun, token: $token) {
    plan { token total changes approvalRequired invalidLines { line value code reason } invalidLineCount groups { outcome code count } }
    operation { id status startAt approvalRequired canDecide counts { pending success skipped } } } }`;

describe('fleet operations run by the worker', () => {
  let t: TestApp;
  let companyId: number;
  let company: string;
  const sql = (text: string, params: unknown[] = []) => t.db.dataSource.query(text, params);
  const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];

  beforeAll(async () => {
    const db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
    [companyId] = (await seedBulk(db.dataSource, { companies: 1, numbers: NUMBERS })).companyIds;
    company = toGlobalId('Company', companyId);
    t = await startTestApp('mercurius', { db, jobs: { billingDelayMs: 0, billingMaxRate: RATE, billingConcurrency: 10 } });
  });
  afterAll(async () => {
    await t.close();
    await t.db.drop();
  });

  const submit = (input: Record<string, unknown>, dryRun = true, token?: string) => t.gql(SUBMIT, { input: { companyId: company, ...input }, dryRun, token });
  const start = async (input: Record<string, unknown>) => {
    const dry = await submit(input);
    expect(dry.errors).toBeUndefined();
    const res = await submit(input, false, dry.data!.bulkOperation.plan.token);
    expect(res.errors).toBeUndefined();
    return res.data!.bulkOperation;
  };
  const until = async (id: string, statuses: string[], seconds = 60) => {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const [row] = await sql(`SELECT status FROM cabinet.bulk_operations WHERE id = $1`, [id]);
      if (statuses.includes(row.status)) return row.status;
      if (Date.now() > deadline) throw new Error(`the fleet operation stayed ${row.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('keeps to BILLING_MAX_RATE and publishes coalesced progress, no per-number events', async () => {
    const [before] = await sql(`SELECT coalesce(max(position), 0)::int AS p FROM cabinet.events WHERE company_id = $1`, [companyId]);
    const answer = await start({ kind: 'SET_SMS_USSD_BAN', enabled: true, selection: { matching: {} } });
    expect(answer.plan.changes).toBe(NUMBERS);
    const id = dbId(answer.operation.id);
    expect(await until(id, ['FINISHED'])).toBe('FINISHED');
    const [span] = await sql(
      `SELECT count(*)::int AS n, extract(epoch FROM max(finished_at) - min(finished_at))::float8 AS seconds,
         extract(epoch FROM max(finished_at) - (SELECT started_at FROM cabinet.bulk_operations WHERE id = $1))::float8 AS total
       FROM cabinet.bulk_items WHERE bulk_operation_id = $1 AND status = 'SUCCESS'`,
      [id],
    );
    expect(span.n).toBe(NUMBERS);
    // The bucket holds one second's tokens: the rest of the items take at least (n - rate) / rate seconds.
    expect(span.total).toBeGreaterThanOrEqual((NUMBERS - RATE) / RATE - 0.2);
    // Items are handed over by claims (a transaction each: its operations' created_at). Bounded by the rate, a claim
    // takes what a tenth of a second brought (RATE / 10 items), not each token as it comes (about one claim for two items).
    const [claims] = await sql(`SELECT count(DISTINCT created_at)::int AS n FROM cabinet.operations WHERE bulk_operation_id = $1`, [id]);
    expect(claims.n).toBeLessThanOrEqual(NUMBERS / 5);
    const events: { topic: string; payload: { bulkOperationId?: string }; created_at: Date }[] = await sql(
      `SELECT topic, payload, created_at FROM cabinet.events WHERE company_id = $1 AND position > $2 ORDER BY position`,
      [companyId, before.p],
    );
    expect(events.filter((e) => e.topic !== 'BULK_OPERATION_CHANGED')).toEqual([]);
    const progress = events.filter((e) => e.payload.bulkOperationId === id);
    // Created (RUNNING) and FINISHED always; in between at most one per PROGRESS_EVERY_MS.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThanOrEqual(2 + Math.ceil(((span.total + 1) * 1000) / PROGRESS_EVERY_MS));
    const final = (await t.gql(`query($id: ID!) { bulkOperation(id: $id) { status rate estimatedEndAt counts { success } } }`, { id: answer.operation.id }))
      .data!.bulkOperation;
    expect(final).toMatchObject({ status: 'FINISHED', estimatedEndAt: null, counts: { success: NUMBERS } });
    expect(final.rate).toBeGreaterThan(0);
  });

  it('follows a job over bulkOperationChanged until it is FINISHED, with its counts', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const cookie = t.adminCookie;
    class Socket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie, origin: `http://127.0.0.1:${port}` } });
      }
    }
    const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: Socket, retryAttempts: 0 });
    const seen: { cursor: string; operation: { id: string; status: string; counts: { success: number; pending: number } } }[] = [];
    try {
      const ended = new Promise<void>((resolve, reject) => {
        client.subscribe(
          {
            query: `subscription($c: ID!) { bulkOperationChanged(companyId: $c) { cursor operation { id status counts { success pending } } } }`,
            variables: { c: company },
          },
          {
            next: (result) => {
              if (result.errors) reject(new Error(JSON.stringify(result.errors)));
              const change = (result.data as { bulkOperationChanged: (typeof seen)[number] }).bulkOperationChanged;
              seen.push(change);
              if (change.operation.status === 'FINISHED') resolve();
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
      // Subscribed before the job starts: its first event is the start.
      await new Promise((r) => setTimeout(r, 500));
      const numbers: { id: number }[] = await sql(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 120`, [companyId]);
      const answer = await start({ kind: 'SET_SMS_USSD_BAN', enabled: false, selection: { numberIds: numbers.map((n) => toGlobalId('Number', n.id)) } });
      await Promise.race([ended, new Promise((_, reject) => setTimeout(() => reject(new Error('no FINISHED event')), 30_000))]);
      const mine = seen.filter((change) => change.operation.id === answer.operation.id);
      expect(mine[0].operation.status).toBe('RUNNING');
      expect(mine[mine.length - 1].operation).toMatchObject({ status: 'FINISHED', counts: { success: answer.plan.changes, pending: 0 } });
      expect(new Set(mine.map((change) => change.cursor)).size).toBe(mine.length);
    } finally {
      await client.dispose();
    }
  });

  it('starts a scheduled operation at its time', async () => {
    const [n] = await sql(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 1`, [companyId]);
    const startAt = new Date(Date.now() + 2000).toISOString();
    const answer = await start({ kind: 'SEND_SECRET_CODE', startAt, selection: { numberIds: [toGlobalId('Number', n.id)] } });
    expect(answer.operation).toMatchObject({ status: 'SCHEDULED', startAt });
    const id = dbId(answer.operation.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await sql(`SELECT status FROM cabinet.bulk_operations WHERE id = $1`, [id]))[0].status).toBe('SCHEDULED');
    expect(await until(id, ['FINISHED'], 30)).toBe('FINISHED');
    const [row] = await sql(`SELECT started_at >= start_at AS "onTime" FROM cabinet.bulk_operations WHERE id = $1`, [id]);
    expect(row.onTime).toBe(true);
  });

  it('takes an uploaded list: refused lines with their numbers, foreign numbers as FOREIGN_NUMBER', async () => {
    const own: { msisdn: string }[] = await sql(`SELECT msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 3`, [companyId]);
    const [foreign] = await sql(`SELECT msisdn FROM billing.numbers WHERE company_id <> $1 LIMIT 1`, [companyId]);
    const [upload] = await sql(`INSERT INTO cabinet.bulk_uploads (company_id, file_name, with_iccid, lines) VALUES ($1, 'list.csv', false, 6) RETURNING id`, [
      companyId,
    ]);
    const lines = [
      [1, own[0].msisdn, own[0].msisdn, null],
      [2, 'abc', null, 'INVALID_PHONE'],
      [3, foreign.msisdn, foreign.msisdn, null],
      [4, own[1].msisdn, own[1].msisdn, null],
      [5, '79990000001', '79990000001', null],
      [6, own[2].msisdn, own[2].msisdn, null],
    ];
    for (const [line, raw, msisdn, error] of lines) {
      await sql(`INSERT INTO cabinet.bulk_upload_lines (upload_id, line, raw, msisdn, error) VALUES ($1, $2, $3, $4, $5)`, [
        upload.id,
        line,
        raw,
        msisdn,
        error,
      ]);
    }
    const res = await submit({ kind: 'DELETE_SECRET_CODE', selection: { uploadId: toGlobalId('BulkUpload', upload.id) } });
    expect(res.errors).toBeUndefined();
    const plan = res.data!.bulkOperation.plan;
    expect(plan.total).toBe(3);
    expect(plan.invalidLineCount).toBe(3);
    expect(plan.invalidLines).toEqual([
      { line: 2, value: 'abc', code: 'INVALID_PHONE', reason: expect.stringMatching(/phone number/) },
      { line: 3, value: foreign.msisdn, code: 'FOREIGN_NUMBER', reason: 'No number of the company.' },
      { line: 5, value: '79990000001', code: 'FOREIGN_NUMBER', reason: 'No number of the company.' },
    ]);
    // Another company's upload is as absent as one that does not exist.
    const [other] = await sql(`SELECT id FROM billing.companies WHERE id <> $1 LIMIT 1`, [companyId]);
    const [theirs] = await sql(`INSERT INTO cabinet.bulk_uploads (company_id, file_name, with_iccid, lines) VALUES ($1, 'x.csv', false, 0) RETURNING id`, [
      other.id,
    ]);
    const refused = await submit({ kind: 'DELETE_SECRET_CODE', selection: { uploadId: toGlobalId('BulkUpload', theirs.id) } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BULK_SELECTION_INVALID');
  });

  it('waits for approval above the company’s threshold, and runs once begun', async () => {
    await sql(`INSERT INTO cabinet.company_policies (company_id, bulk_approval_threshold) VALUES ($1, 2)`, [companyId]);
    try {
      const numbers: { id: number }[] = await sql(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 3`, [companyId]);
      const answer = await start({ kind: 'SEND_SECRET_CODE', selection: { numberIds: numbers.map((n) => toGlobalId('Number', n.id)) } });
      expect(answer.plan.approvalRequired).toBe(true);
      expect(answer.operation).toMatchObject({ status: 'AWAITING_APPROVAL', approvalRequired: true, canDecide: false });
      const id = dbId(answer.operation.id);
      await new Promise((r) => setTimeout(r, 700));
      expect((await sql(`SELECT count(*)::int AS n FROM cabinet.operations WHERE bulk_operation_id = $1`, [id]))[0].n).toBe(0);
      const begun = await t.db.dataSource.transaction((manager) => beginBulkOperation(new RequestDb(manager.queryRunner!), id));
      expect(begun).toBe(true);
      expect(await until(id, ['FINISHED'], 30)).toBe('FINISHED');
      expect((await sql(`SELECT count(*)::int AS n FROM cabinet.operations WHERE bulk_operation_id = $1 AND status = 'SUCCESS'`, [id]))[0].n).toBe(3);
    } finally {
      await sql(`DELETE FROM cabinet.company_policies WHERE company_id = $1`, [companyId]);
    }
  });
});
