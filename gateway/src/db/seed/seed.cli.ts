import { loadConfigOrExit } from '../../config';
import { createLogger } from '../../core/logger';
import { openDatabase } from '../database';
import { seedBulk, seedDemo } from './seed';
import { parseSeedArgs, SEED_USAGE, SeedArgsError, type SeedCommand } from './seed-args';

function elapsedSince(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}

async function main(argv: readonly string[]): Promise<number> {
  let command: SeedCommand;
  try {
    command = parseSeedArgs(argv);
  } catch (error) {
    if (!(error instanceof SeedArgsError)) throw error;
    console.error(`${error.message}\n\n${SEED_USAGE}`);
    return 1;
  }
  if (command.kind === 'help') {
    console.log(SEED_USAGE);
    return 0;
  }

  const config = loadConfigOrExit();
  const started = performance.now();
  const database = await openDatabase(config, createLogger(config.logLevel));
  console.log(`Database ready [${elapsedSince(started)}]`);
  try {
    const { dataSource } = database;
    if (command.kind === 'demo') {
      const done = await dataSource.query(`SELECT 1 FROM cabinet.seed_runs WHERE name = 'demo'`);
      if (done.length > 0) {
        console.log('The demo data is already seeded; nothing to do.');
      } else {
        console.log('Seeding the demo data...');
        await dataSource.transaction((manager) => seedDemo(manager));
        console.log('Demo data seeded.');
      }
    } else {
      const { companies, numbers, seed } = command;
      console.log(`Seeding ${companies} ${companies === 1 ? 'company' : 'companies'} with ${numbers} numbers each...`);
      const result = await dataSource.transaction((manager) =>
        seedBulk(manager, { companies, numbers, seed, onProgress: (message) => console.log(`  ${message} [${elapsedSince(started)}]`) }),
      );
      console.log(`Created companies with ids ${result.companyIds.join(', ')}.`);
    }
  } finally {
    await database.close();
  }
  console.log(`Done in ${elapsedSince(started)}.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
