import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { EVENTS_CHANNEL } from '../core/events';
import { EventWakeups } from '../core/event-wakeups';
import type { Logger } from '../core/logger';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded-postgres';

export interface Database {
  readonly dataSource: DataSource;
  readonly url: string;
  /** A connection URL that keeps its session (see `AppConfig.databaseDirectUrl`); `url` when none is configured. */
  readonly directUrl: string;
  close(): Promise<void>;
}

/** Held by the process that migrates; the key of a session-level advisory lock. */
const MIGRATIONS_LOCK_KEY = 'cabinet.migrations';

/**
 * Applies pending migrations while holding a session advisory lock on a connection of its own, so that
 * processes starting together migrate one after the other (the later ones find nothing pending). The lock
 * needs a session: through a transaction pooler it would stay on a server connection after the
 * statement, so `directUrl` must be PostgreSQL itself or a pooler database in session mode.
 */
export async function migrateExclusively(dataSource: DataSource, directUrl: string, log: Logger): Promise<string[]> {
  const lock = new Client({ connectionString: directUrl, application_name: 'cabinet-migrations' });
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock(hashtext($1))`, [MIGRATIONS_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
      return applied.map((m) => m.name);
    } finally {
      // A session pooler hands this server connection on: the lock must not stay with it.
      await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [MIGRATIONS_LOCK_KEY]);
    }
  } finally {
    await lock.end().catch(() => {});
  }
}

/** Opens the configured database (embedded unless DATABASE_URL is set) and applies pending migrations. */
export async function openDatabase(config: AppConfig, log: Logger): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.dataDir, log)).url;
  const directUrl = config.databaseDirectUrl ?? url;
  const dataSource = createDataSource(url, config.databasePoolSize, undefined, undefined, config.databasePreparedStatements);
  try {
    await dataSource.initialize();
    EventWakeups.install(dataSource, EVENTS_CHANNEL, log);
    await migrateExclusively(dataSource, directUrl, log);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    url,
    directUrl,
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
