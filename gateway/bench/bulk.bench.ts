import 'reflect-metadata';
import { bulkService } from '../src/bulk';
import { Context, type HttpExchange } from '../src/core/context';
import { tmpdir } from 'node:os';
import { loadConfig } from '../src/config';
import { createMailer } from '../src/delivery/mail';
import { createSmsSender } from '../src/delivery/sms';
import { reportMailerOptions } from '../src/documents';
import { startJobs } from '../src/servers/jobs';
import { log, openBenchDatabase, option, writeResults } from './harness';

/**
 * Fleet operations on a seeded company: the dry run of every number (target ≤ 2 s for 100,000), the start that writes
 * every item (≤ 10 s, ≤ 300 MB RSS), and how many items per second the worker of this process completes with
 * BILLING_DELAY_MS=0 and the gate wide open (target ≥ 1,000/s on 2 cores), on a job of `--items` numbers.
 * Usage: npm run bench:bulk -w gateway [-- --numbers 100000 --items 10000 --kind SET_SMS_USSD_BAN]
 */
const HTTP: HttpExchange = {
  clientAddress: '127.0.0.1',
  userAgent: 'bench',
  secureCookies: false,
  cookie: () => undefined,
  header: () => undefined,
  setCookie: () => undefined,
  clearCookie: () => undefined,
};

const mb = (bytes: number) => bytes / 1024 / 1024;

async function main(): Promise<void> {
  const numbers = option('numbers', 100_000);
  const items = option('items', 10_000);
  const kindIndex = process.argv.indexOf('--kind');
  const kind = (kindIndex > 0 ? process.argv[kindIndex + 1] : 'SET_SMS_USSD_BAN') as 'SET_SMS_USSD_BAN';
  const db = await openBenchDatabase(numbers, 10);
  const { dataSource, companyId, administratorId } = db;
  const sms = createSmsSender({}, dataSource, log);
  const mailer = createMailer(reportMailerOptions(loadConfig({ DATA_DIR: tmpdir() })));
  const jobs = await startJobs({ url: db.url, dataSource, log, sms, billingDelayMs: 0, runWorker: false });
  try {
    const ctx = () => {
      const c = new Context(dataSource, log, 'en', 'bench', HTTP, { sms, operations: jobs.operations, reports: jobs.reports, bulk: jobs.bulk } as never);
      c.principal = {
        kind: 'administrator',
        administratorId,
        sessionId: 'bench',
        name: 'Bench',
        phone: '77000000000',
        language: 'en',
        companyIds: new Set([companyId]),
      };
      return c;
    };
    const input = kind === 'SET_SMS_USSD_BAN' ? { enabled: true } : {};
    const request = { companyId, kind, input, selection: { matching: {} }, startAt: null };

    let started = performance.now();
    const dry = await bulkService.submit(ctx(), request, true, null, null);
    const drySeconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `dry run of ${dry.plan.total.toLocaleString('en')} numbers (${dry.plan.changes.toLocaleString('en')} changes): ${drySeconds.toFixed(2)} s\n`,
    );

    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    started = performance.now();
    const run = await bulkService.submit(ctx(), request, false, dry.plan.token, null);
    const startSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    process.stdout.write(
      `start (dry run again, ${run.plan.total.toLocaleString('en')} items written): ${startSeconds.toFixed(2)} s, peak RSS ${mb(peak).toFixed(0)} MB\n`,
    );
    // Not to be worked here: the throughput job below is the measured one.
    await bulkService.cancel(ctx(), run.operation!.id);

    const ids = await dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT $2`, [companyId, items]);
    await dataSource.query(`UPDATE billing.numbers SET sms_ussd_ban = false WHERE id = ANY($1)`, [ids.map((r: { id: number }) => r.id)]);
    const small = { ...request, selection: { numberIds: ids.map((r: { id: number }) => Buffer.from(`Number:${r.id}`).toString('base64url')) } };
    const smallDry = await bulkService.submit(ctx(), small, true, null, null);
    const job = await bulkService.submit(ctx(), small, false, smallDry.plan.token, null);
    const cpu = process.cpuUsage();
    started = performance.now();
    const worker = await startJobs({
      url: db.url,
      dataSource,
      log,
      sms,
      billingDelayMs: 0,
      billingMaxRate: 100_000,
      billingConcurrency: option('concurrency', 200),
      runWorker: true,
      mailer,
    });
    for (;;) {
      const [row] = await dataSource.query(`SELECT status, started_at, finished_at FROM cabinet.bulk_operations WHERE id = $1`, [job.operation!.id]);
      if (row.status === 'FINISHED') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const [done] = await dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'SUCCESS')::int AS success, extract(epoch FROM max(finished_at) - min(finished_at))::float8 AS span
       FROM cabinet.bulk_items WHERE bulk_operation_id = $1`,
      [job.operation!.id],
    );
    const rate = done.success / seconds;
    process.stdout.write(
      `worker: ${done.success.toLocaleString('en')} items of ${kind} in ${seconds.toFixed(2)} s (first to last item ${done.span.toFixed(2)} s): ` +
        `${rate.toFixed(0)} items/s, ${(done.success / done.span).toFixed(0)} items/s between the first and last; this process ${((used.user + used.system) / 1e6).toFixed(1)} s CPU\n`,
    );
    await worker.stop();
    await mailer.close();
    await writeResults('bulk', { numbers, items, kind, drySeconds, startSeconds, startPeakRssMb: mb(peak), itemsPerSecond: rate, seconds });
  } finally {
    await jobs.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
