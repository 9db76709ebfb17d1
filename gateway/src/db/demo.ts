import type { DataSource } from 'typeorm';
import type { Logger } from '../core/logger';
import { seedDemo } from './seed/seed';

/** Seeds the demo data on first start; later starts find the seed run recorded and leave the data alone. */
export async function seedDemoOnce(dataSource: DataSource, log: Logger): Promise<void> {
  const done = await dataSource.query(`SELECT 1 FROM cabinet.seed_runs WHERE name = 'demo'`);
  if (done.length > 0) return;
  const started = Date.now();
  await dataSource.transaction(async (manager) => {
    await manager.query(`LOCK TABLE cabinet.seed_runs IN EXCLUSIVE MODE`);
    await seedDemo(manager);
  });
  log.info({ ms: Date.now() - started }, 'demo data seeded');
}
