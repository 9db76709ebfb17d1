import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { createLogger } from '../core/logger';
import { openDatabase } from './database';

/** Applies pending migrations (openDatabase does) and reports what is applied. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const database = await openDatabase(config, createLogger(config.logLevel));
  try {
    const applied: { name: string }[] = await database.dataSource.query(`SELECT name FROM migrations ORDER BY id`);
    process.stdout.write(`Database is up to date: ${applied.map((m) => m.name).join(', ')}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
