import 'reflect-metadata';
import pino from 'pino';
import { bulkService } from '../src/bulk';
import { Context, type HttpExchange } from '../src/core/context';
import { createDataSource } from '../src/db/data-source';
import { createSmsSender } from '../src/delivery/sms';
import { buildGatewaySchema } from '../src/graphql/schema';
import { startJobs } from '../src/servers/jobs';

/**
 * The start of a fleet operation measured in a process of its own that has loaded what a gateway loads (its schema
 * and every resolver) and nothing of the benchmark's seeding, so that its peak RSS is the start's:
 * `bulk.measure.js <url> <companyId> <administratorId> <kind> <input JSON>`. Answers `StartMeasurement` over IPC.
 */
export interface StartMeasurement {
  drySeconds: number;
  startSeconds: number;
  /** RSS once loaded and connected, before the dry run. */
  loadedRssMb: number;
  peakRssMb: number;
  total: number;
  changes: number;
  bulkOperationId: string;
}

const HTTP: HttpExchange = {
  clientAddress: '127.0.0.1',
  userAgent: 'bench',
  secureCookies: false,
  cookie: () => undefined,
  header: () => undefined,
  setCookie: () => undefined,
  clearCookie: () => undefined,
};
const mb = (bytes: number) => bytes / 2 ** 20;

async function main(): Promise<void> {
  const [url, company, administrator, kind, inputJson] = process.argv.slice(2);
  const log = pino({ level: 'warn' });
  buildGatewaySchema();
  const dataSource = createDataSource(url, 10, 'cabinet-bench');
  await dataSource.initialize();
  const sms = createSmsSender({}, dataSource, log);
  const jobs = await startJobs({ url, dataSource, log, sms, billingDelayMs: 0, runWorker: false });
  const companyId = Number(company);
  const ctx = () => {
    const c = new Context(dataSource, log, 'en', 'bench', HTTP, { sms, operations: jobs.operations, reports: jobs.reports, bulk: jobs.bulk } as never);
    c.principal = {
      kind: 'administrator',
      administratorId: Number(administrator),
      sessionId: 'bench',
      name: 'Bench',
      phone: '77000000000',
      language: 'en',
      companyIds: new Set([companyId]),
    };
    return c;
  };
  const request = {
    companyId,
    kind: kind as 'BLOCK_NUMBER',
    input: JSON.parse(inputJson) as Record<string, unknown>,
    selection: { matching: {} },
    startAt: null,
  };
  global.gc?.();
  const loadedRssMb = mb(process.memoryUsage().rss);
  let started = performance.now();
  const dry = await bulkService.submit(ctx(), request, true, null, null);
  const drySeconds = (performance.now() - started) / 1000;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  started = performance.now();
  const run = await bulkService.submit(ctx(), request, false, dry.plan.token, null);
  const startSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const result: StartMeasurement = {
    drySeconds,
    startSeconds,
    loadedRssMb,
    peakRssMb: mb(peak),
    total: run.plan.total,
    changes: run.plan.changes,
    bulkOperationId: run.operation!.id,
  };
  process.send!(result);
  await jobs.stop();
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
