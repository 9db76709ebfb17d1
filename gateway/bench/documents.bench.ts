import 'reflect-metadata';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { Measurement } from './documents.measure';
import { openBenchDatabase, option, writeResults } from './harness';

/**
 * Time and peak RSS of the list-of-numbers report of a 100,000-number company (written and e-mailed to an outbox
 * folder, as the worker does) and of a PDF of 10,000 usage records. Each is measured in a fresh child process, so
 * the seeding does not count towards its peak. `DATABASE_URL` names a server to use; otherwise an embedded one
 * runs in a temporary directory. Usage: npm run bench:documents -w gateway [-- --numbers 100000 --usage 10000]
 */
const TARGETS = { numbers: { seconds: 10, rssMb: 300 }, usage: { seconds: 5, rssMb: Infinity } };

function inChild(kind: 'numbers' | 'usage', url: string, id: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'documents.measure.js'), [kind, url, String(id)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as Measurement));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the ${kind} measurement exited with ${code}`))));
  });
}

async function main(): Promise<void> {
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
      {
        name: `List of numbers report, ${numbers.toLocaleString('en')} numbers (XLSX, e-mailed)`,
        target: TARGETS.numbers,
        ...(await inChild('numbers', url, companyId)),
      },
      { name: `Usage details PDF, ${usage.toLocaleString('en')} records`, target: TARGETS.usage, ...(await inChild('usage', url, number.id)) },
    ];
    for (const r of results) {
      const ok = r.seconds < r.target.seconds && r.peakRssMb < r.target.rssMb;
      process.stdout.write(
        `${r.name}: ${r.seconds.toFixed(2)} s (${r.cpuSeconds.toFixed(2)} s CPU), peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.startRssMb.toFixed(0)} MB before it started), ${r.rows.toLocaleString('en')} rows, ` +
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
