import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createDataSource } from '../src/db/data-source';
import { createMailer } from '../src/delivery/mail';
import { documentFileName, loadSubject, writeDocument } from '../src/documents/document.render';
import type { DocumentSpec } from '../src/documents/document.spec';
import { processReport } from '../src/documents/report.worker';
import { RequestDb } from '../src/core/db';
import { addDays, todayIn } from '../src/core/period';
import { publishEvent } from '../src/core/events';

/**
 * One measurement of the documents benchmark, run in a process of its own that loads only what the report worker
 * loads (not the benchmark's harness), so that its peak RSS is the document's: `documents.measure.js <kind> <url> <id>`.
 */
const log = pino({ level: 'warn' });

export interface Measurement {
  seconds: number;
  /** CPU time of the process over the same span: steadier than wall time on a busy machine. */
  cpuSeconds: number;
  peakRssMb: number;
  /** RSS of the process once loaded and connected, before the document starts. */
  startRssMb: number;
  rows: number;
  fileMb: number;
}

async function measure(kind: 'numbers' | 'usage', url: string, id: number): Promise<Measurement> {
  const dataSource = createDataSource(url, 4, 'cabinet-bench');
  await dataSource.initialize();
  const dir = await mkdtemp(join(tmpdir(), 'cabinet-bench-out-'));
  try {
    const startRssMb = process.memoryUsage().rss / 2 ** 20;
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
      const written = await dataSource.transaction((manager) =>
        writeDocument(new RequestDb(manager.queryRunner!), spec, subject, 'ru', createWriteStream(file)),
      );
      rows = written.rows;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    return {
      startRssMb,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      rows,
      fileMb: (await stat(file)).size / 2 ** 20,
    };
  } finally {
    await dataSource.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

const [kind, url, id] = process.argv.slice(2);
measure(kind as 'numbers' | 'usage', url, Number(id)).then(
  (result) => process.send!(result),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
