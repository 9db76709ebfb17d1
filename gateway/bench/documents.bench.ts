import 'reflect-metadata';
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../src/db/data-source';
import { createMailer } from '../src/delivery/mail';
import { documentFileName, loadSubject, writeDocument } from '../src/documents/document.render';
import type { DocumentSpec } from '../src/documents/document.spec';
import { processReport } from '../src/documents/report.worker';
import { RequestDb } from '../src/graphql/context';
import { addDays, todayIn } from '../src/graphql/period';
import { publishEvent } from '../src/graphql/pubsub';
import { log, openBenchDatabase, option, writeResults } from './harness';

/**
 * Time and peak RSS of the list-of-numbers report of a 100,000-number company (written and e-mailed to an outbox
 * folder, as the worker does) and of a PDF of 10,000 usage records. Each is measured in a fresh child process, so
 * the seeding does not count towards its peak. `DATABASE_URL` names a server to use; otherwise an embedded one
 * runs in a temporary directory. Usage: npm run bench:documents -w gateway [-- --numbers 100000 --usage 10000]
 */
const TARGETS = { numbers: { seconds: 10, rssMb: 300 }, usage: { seconds: 5, rssMb: Infinity } };

interface Measurement {
  seconds: number;
  /** CPU time of the process over the same span: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  peakRssMb: number;
  rows: number;
  fileMb: number;
}

async function measure(kind: 'numbers' | 'usage', url: string, id: number): Promise<Measurement> {
  const dataSource = createDataSource(url, 4, 'cabinet-bench');
  await dataSource.initialize();
  const dir = await mkdtemp(join(tmpdir(), 'cabinet-bench-out-'));
  try {
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    let rows: number;
    let file: string;
    if (kind === 'numbers') {
      const [report] = await dataSource.query(
        `INSERT INTO cabinet.reports (company_id, kind, params, email, language) VALUES ($1, 'NUMBERS_LIST', $2, 'bench@example.kz', 'ru') RETURNING id::text`,
        [id, JSON.stringify({ kind: 'NUMBERS_LIST', companyId: id })],
      );
      const mailer = createMailer({ outboxDir: join(dir, 'outbox'), from: 'Cabinet <bench@example.kz>' });
      const deps = { boss: undefined as never, dataSource, mailer, events: { publish: publishEvent }, log, tmpDir: dir };
      if ((await processReport(deps, report.id, true)) !== 'done') throw new Error('the report was not sent');
      const [done] = await dataSource.query(`SELECT rows FROM cabinet.reports WHERE id = $1`, [report.id]);
      rows = done.rows;
      file = join(dir, 'outbox', (await readdir(join(dir, 'outbox')))[0]);
    } else {
      const today = todayIn();
      const spec: DocumentSpec = { kind: 'USAGE', format: 'PDF', numberId: id, from: addDays(today, -89), to: today, type: null };
      const subject = (await loadSubject(new RequestDb(dataSource), spec))!;
      file = join(dir, documentFileName(spec, subject));
      const written = await dataSource.transaction((manager) => writeDocument(new RequestDb(manager.queryRunner!), spec, subject, 'ru', createWriteStream(file)));
      rows = written.rows;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    return { seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024, rows, fileMb: (await stat(file)).size / 2 ** 20 };
  } finally {
    await dataSource.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

function inChild(kind: 'numbers' | 'usage', url: string, id: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--measure', kind, url, String(id)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as Measurement));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the ${kind} measurement exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const measureAt = process.argv.indexOf('--measure');
  if (measureAt > 0) {
    const [kind, url, id] = process.argv.slice(measureAt + 1);
    process.send!(await measure(kind as 'numbers' | 'usage', url, Number(id)));
    return;
  }
  const numbers = option('numbers', 100_000);
  const usage = option('usage', 10_000);
  const db = await openBenchDatabase(numbers, 4);
  const { url, dataSource, companyId } = db;
  try {
    const seeded = Date.now();
    const [number] = await dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 1`, [companyId]);
    await dataSource.query(`DELETE FROM billing.usage_records WHERE number_id = $1`, [number.id]);
    await dataSource.query(
      `INSERT INTO billing.usage_records (number_id, started_at, type, direction, other_party, duration_seconds, volume_kb, cost)
       SELECT $1, now() - make_interval(secs => g * (86400 * 88.0 / $2)),
         (ARRAY['CALL', 'SMS', 'DATA', 'USSD'])[g % 4 + 1]::billing.usage_type,
         CASE WHEN g % 2 = 0 THEN 'OUTGOING' ELSE 'INCOMING' END::billing.usage_direction,
         CASE WHEN g % 4 = 2 THEN NULL ELSE '7701' || lpad((g * 7919 % 10000000)::text, 7, '0') END,
         CASE WHEN g % 4 IN (0, 2) THEN g % 600 + 1 END, CASE WHEN g % 4 = 2 THEN g * 37 % 500000 END, g % 7 * 1500
       FROM generate_series(1, $2) AS g`,
      [number.id, usage],
    );
    process.stdout.write(`added ${usage.toLocaleString('en')} usage records to one number in ${((Date.now() - seeded) / 1000).toFixed(1)} s\n\n`);

    const results = [
      { name: `List of numbers report, ${numbers.toLocaleString('en')} numbers (XLSX, e-mailed)`, target: TARGETS.numbers, ...(await inChild('numbers', url, companyId)) },
      { name: `Usage details PDF, ${usage.toLocaleString('en')} records`, target: TARGETS.usage, ...(await inChild('usage', url, number.id)) },
    ];
    for (const r of results) {
      const ok = r.seconds < r.target.seconds && r.peakRssMb < r.target.rssMb;
      process.stdout.write(
        `${r.name}: ${r.seconds.toFixed(2)} s (${r.cpuSeconds.toFixed(2)} s CPU), peak RSS ${r.peakRssMb.toFixed(0)} MB, ${r.rows.toLocaleString('en')} rows, ` +
          `${r.fileMb.toFixed(1)} MB output — target < ${r.target.seconds} s${Number.isFinite(r.target.rssMb) ? `, < ${r.target.rssMb} MB` : ''}: ${ok ? 'met' : 'MISSED'}\n`,
      );
    }
    await writeResults('documents', { numbers, usage, results });
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
