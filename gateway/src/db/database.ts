import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';

export interface Database {
  readonly dataSource: DataSource;
  readonly url: string;
  close(): Promise<void>;
}

/** Opens the configured database (embedded unless DATABASE_URL is set) and applies pending migrations. */
export async function openDatabase(config: AppConfig, log: Logger): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.dataDir, log)).url;
  const dataSource = createDataSource(url, config.databasePoolSize);
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    url,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** True when every migration the code knows is applied. */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
