import { Agent, request as httpRequest } from 'node:http';
import ExcelJS from 'exceljs';
import { toGlobalId } from '../src/core/ids';
import {
  graphql,
  graphqlData,
  now,
  openBenchDatabase,
  option,
  printTable,
  round,
  runMain,
  sessionCookies,
  sleep,
  spawnGateway,
  summarize,
  writeResults,
  type GatewayProcess,
} from './harness';

/**
 * Fleet operations on the benchmark's company (100,000 numbers): the dry runs of every number and the start of the
 * job (time, and the API gateway's peak RSS during each: it starts from what the idle page left of the heap), the
 * workers' items per second with the billing system answering at once (BILLING_DELAY_MS=0, one worker process alone
 * with the job), a 100,000-line XLSX upload parsed and checked, and the numbers page's p99 while a job of every number
 * runs as deployed (the gate at its defaults, BILLING_MAX_RATE and BILLING_CONCURRENCY unset) against its idle p99
 * measured just before it, with the job queued —
 * all in this one run, on this machine.
 * Usage: npm run bench:bulk -w gateway [-- --numbers 100000 --page-seconds 10 --inspect-above-mb 300]
 */
const TARGETS = { dryRunS: 2, dryRunRssMb: 300, startS: 10, startRssMb: 300, itemsPerSecond: 1000, uploadS: 10, pageP99Ratio: 2 };

const PLAN = 'token total changes groups { outcome code count sample } invalidLineCount';
const BULK = `mutation Bulk($input: BulkOperationInput!, $dryRun: Boolean!, $token: String) {
  bulkOperation(input: $input, dryRun: $dryRun, token: $token) { plan { ${PLAN} } operation { id status total } } }`;
const PROGRESS = `query Progress($id: ID!) { bulkOperation(id: $id) { status counts { pending inProcess success failure skipped cancelled } rate } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelBulkOperation(id: $id) { id status } }`;
const UPLOAD = `mutation Upload($c: ID!) { createBulkUpload(companyId: $c) { url } }`;
const LIST = `query ListPage($c: ID!) { numbers(companyId: $c, first: 50) {
  edges { node { id msisdn state balance account { accountNo paymentMethod } tariff { name } } } } }`;

/** How long one call takes, in seconds, with its value. */
async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = now();
  const value = await run();
  return { seconds: (now() - started) / 1000, value };
}

/** The page's latency at a fixed concurrency for `seconds`: what an administrator's browser sees. */
async function pageLatency(url: string, cookie: string, companyId: string, seconds: number, concurrency = 4) {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const started = now();
        const answer = await graphql(url, cookie, LIST, { c: companyId });
        if (answer.status !== 200 || answer.body.errors) errors++;
        latencies.push(now() - started);
      }
    }),
  );
  return { ...summarize(latencies), errors };
}

/** Polls the operation until it ends; items per second from its first finished item to its last. */
async function untilFinished(url: string, cookie: string, id: string, began: number): Promise<{ progress: any; itemsPerSecond: number }> {
  let progress: any;
  let firstDoneAt: number | undefined;
  let firstDone = 0;
  for (;;) {
    progress = (await graphqlData(url, cookie, PROGRESS, { id })).bulkOperation;
    const done = progress.counts.success + progress.counts.failure + progress.counts.skipped;
    if (firstDoneAt === undefined && done > 0) {
      firstDoneAt = now();
      firstDone = done;
    }
    if (progress.status === 'FINISHED' || progress.status === 'CANCELLED') break;
    if (now() - began > 600_000) throw new Error(`the job did not finish within 10 minutes: ${JSON.stringify(progress)}`);
    await sleep(250);
  }
  const applied = progress.counts.success + progress.counts.failure + progress.counts.skipped - firstDone;
  return { progress, itemsPerSecond: applied / ((now() - (firstDoneAt ?? began)) / 1000) };
}

/** Samples a process's RSS every 20 ms while `run` runs; the peak. */
async function peakRss<T>(gateway: GatewayProcess, run: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peakMb = gateway.rssMb();
  const timer = setInterval(() => (peakMb = Math.max(peakMb, gateway.rssMb())), 20);
  try {
    return { value: await run(), peakMb };
  } finally {
    clearInterval(timer);
  }
}

const agent = new Agent({ keepAlive: true });

function post(url: string, cookie: string, body: Buffer, contentType: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': contentType, 'content-length': body.length, cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function xlsxOf(msisdns: string[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Numbers');
  sheet.addRow(['MSISDN']);
  for (const msisdn of msisdns) sheet.addRow([`8${msisdn.slice(1)}`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function main(): Promise<void> {
  const numbers = option('numbers', 100_000);
  const pageSeconds = option('page-seconds', 10);
  const db = await openBenchDatabase(numbers);
  let api: GatewayProcess | undefined;
  let worker: GatewayProcess | undefined;
  try {
    const env = { DATABASE_URL: db.url, BILLING_DELAY_MS: '0', BILLING_MAX_RATE: '100000', BILLING_CONCURRENCY: '200' };
    api = await spawnGateway({ ...env, RUN_WORKER: 'false' }, { inspect: true });
    const [cookie] = await sessionCookies(db.dataSource, db.administratorId, 1);
    const companyId = toGlobalId('Company', db.companyId);
    // Every number: the SMS/USSD ban on, a kind every state allows, so that each item goes to the billing system.
    const input = { companyId, kind: 'SET_SMS_USSD_BAN', enabled: true, selection: { matching: {} } };

    for (let i = 0; i < 2; i++) await pageLatency(api.url, cookie, companyId, 2);
    const idle = await pageLatency(api.url, cookie, companyId, pageSeconds);

    const idleRssMb = api.rssMb();
    // Over the target already before any job: where the memory is, V8's heap or outside it. The inspector is opened only
    // then, as it slows what the process runs after (the figures of that run say so).
    let idleMemory: NodeJS.MemoryUsage | undefined;
    if (idleRssMb > Math.min(TARGETS.dryRunRssMb, option('inspect-above-mb', Infinity))) {
      idleMemory = await api.memoryUsage();
      const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
      console.log(
        `gateway RSS ${idleRssMb.toFixed(0)} MB after the idle pages: V8's heap ${mb(idleMemory.heapUsed)} used of ${mb(idleMemory.heapTotal)}, ` +
          `${mb(idleMemory.external)} outside it (${mb(idleMemory.arrayBuffers)} of it array buffers); the inspector is attached from here on`,
      );
    }
    const dryRuns: number[] = [];
    let plan: any;
    const dry = await peakRss(api, async () => {
      for (let i = 0; i < 3; i++) {
        const run = await timed(() => graphqlData(api!.url, cookie, BULK, { input, dryRun: true }));
        dryRuns.push(run.seconds);
        plan = run.value.bulkOperation.plan;
      }
    });
    dryRuns.sort((a, b) => a - b);
    const dryRunS = dryRuns[1];
    console.log(
      `dry run of ${plan.total} numbers: ${dryRuns.map((s) => s.toFixed(2)).join(' / ')} s (${plan.changes} will change), ` +
        `gateway RSS ${idleRssMb.toFixed(0)} MB after the idle pages, peak ${dry.peakMb.toFixed(0)} MB during the dry runs`,
    );

    const beforeStartRssMb = api.rssMb();
    console.log(`gateway RSS before the start: ${beforeStartRssMb.toFixed(0)} MB`);
    const start = await peakRss(api, () => timed(() => graphqlData(api!.url, cookie, BULK, { input, dryRun: false, token: plan.token })));
    const operation = start.value.value.bulkOperation.operation;
    console.log(`job started in ${start.value.seconds.toFixed(2)} s, gateway peak RSS ${start.peakMb.toFixed(0)} MB: ${operation.total} items`);

    // The workers at full speed: one process, the gate wide open, started now, alone with the job's items.
    const began = now();
    worker = await spawnGateway({ ...env, RUN_WORKER: 'true' });
    const { progress, itemsPerSecond } = await untilFinished(api.url, cookie, operation.id, began);
    await worker.stop();
    worker = undefined;
    console.log(`job finished: ${JSON.stringify(progress.counts)}, ${Math.round(itemsPerSecond)} items/s`);

    // The page while a job of every number runs as deployed (the billing system's gate at its defaults,
    // BILLING_MAX_RATE and BILLING_CONCURRENCY unset, a worker process beside the API's), against the page just
    // before, on the same database with the job queued: side by side, the two differ only by the running job.
    const back = { ...input, enabled: false };
    const again = (await graphqlData(api.url, cookie, BULK, { input: back, dryRun: true })).bulkOperation.plan;
    const second = (await graphqlData(api.url, cookie, BULK, { input: back, dryRun: false, token: again.token })).bulkOperation.operation;
    const before = await pageLatency(api.url, cookie, companyId, pageSeconds);
    worker = await spawnGateway({ DATABASE_URL: db.url, BILLING_DELAY_MS: '0', RUN_WORKER: 'true' });
    await sleep(3000);
    const busy = await pageLatency(api.url, cookie, companyId, pageSeconds);
    console.log(
      `numbers page p99: ${round(idle.p99)} ms idle on the fresh database, ${round(before.p99)} ms just before the job, ` +
        `${round(busy.p99)} ms while it runs`,
    );
    await graphqlData(api.url, cookie, CANCEL, { id: second.id });
    await worker.stop();
    worker = undefined;

    const msisdns: string[] = (
      await db.dataSource.query(`SELECT msisdn FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 100000`, [db.companyId])
    ).map((r: { msisdn: string }) => r.msisdn);
    const file = await xlsxOf(msisdns);
    const upload = await timed(async () => {
      const { url } = (await graphqlData(api!.url, cookie, UPLOAD, { c: companyId })).createBulkUpload;
      const answer = await post(new URL(url, api!.url).toString(), cookie, file, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      if (answer.status !== 200) throw new Error(`upload answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      const checked = await graphqlData(api!.url, cookie, BULK, {
        input: { companyId, kind: 'SET_SMS_USSD_BAN', enabled: false, selection: { uploadId: answer.body.uploadId } },
        dryRun: true,
      });
      return { lines: answer.body.lines, plan: checked.bulkOperation.plan };
    });
    console.log(`XLSX of ${upload.value.lines} lines (${(file.length / 1e6).toFixed(1)} MB) uploaded, parsed and checked in ${upload.seconds.toFixed(2)} s`);

    const rows = [
      ['dry run, every number', `${dryRunS.toFixed(2)} s`, `≤ ${TARGETS.dryRunS} s`, dryRunS <= TARGETS.dryRunS],
      ['start of the job', `${start.value.seconds.toFixed(2)} s`, `≤ ${TARGETS.startS} s`, start.value.seconds <= TARGETS.startS],
      ['gateway peak RSS during the dry runs', `${dry.peakMb.toFixed(0)} MB`, `≤ ${TARGETS.dryRunRssMb} MB`, dry.peakMb <= TARGETS.dryRunRssMb],
      ['gateway peak RSS while starting', `${start.peakMb.toFixed(0)} MB`, `≤ ${TARGETS.startRssMb} MB`, start.peakMb <= TARGETS.startRssMb],
      ['workers, BILLING_DELAY_MS=0', `${Math.round(itemsPerSecond)} items/s`, `≥ ${TARGETS.itemsPerSecond}`, itemsPerSecond >= TARGETS.itemsPerSecond],
      [
        `XLSX upload of ${upload.value.lines} lines, parsed and checked`,
        `${upload.seconds.toFixed(2)} s`,
        `≤ ${TARGETS.uploadS} s`,
        upload.seconds <= TARGETS.uploadS,
      ],
      [
        'numbers page p99 while a job of every number runs at the default gate ÷ idle',
        `${(busy.p99 / before.p99).toFixed(2)}× (${round(busy.p99)} / ${round(before.p99)} ms)`,
        `≤ ${TARGETS.pageP99Ratio}×`,
        busy.p99 / before.p99 <= TARGETS.pageP99Ratio,
      ],
    ] as const;
    printTable(
      ['figure', 'measured', 'target', 'met'],
      rows.map(([figure, measured, target, met]) => [figure, measured, target, met ? 'yes' : 'MISSED']),
    );
    await writeResults('bulk', {
      numbers,
      dryRunSeconds: dryRuns,
      startSeconds: start.value.seconds,
      idleRssMb,
      idleMemory,
      dryRunPeakRssMb: dry.peakMb,
      beforeStartRssMb,
      startPeakRssMb: start.peakMb,
      itemsPerSecond,
      counts: progress.counts,
      upload: { lines: upload.value.lines, bytes: file.length, seconds: upload.seconds, invalidLineCount: upload.value.plan.invalidLineCount },
      page: { idle, before, busy, errorsWhileBusy: busy.errors },
      targets: TARGETS,
    });
  } finally {
    await worker?.stop();
    await api?.stop();
    await db.close();
  }
}

runMain(main);
