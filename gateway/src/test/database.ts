import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { EventWakeups } from '../core/event-wakeups';
import { EVENTS_CHANNEL } from '../core/events';
import { createDataSource } from '../db/data-source';

export interface TestDatabase {
  dataSource: DataSource;
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): URL {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests through jest (global setup starts PostgreSQL)');
  return new URL(url);
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const url = serverUrl();
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server, with the migrations applied unless `migrate` is false. */
export async function createTestDatabase({ migrate = true } = {}): Promise<TestDatabase> {
  const name = `cabinet_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = serverUrl();
  url.pathname = `/${name}`;
  const dataSource = createDataSource(url.toString(), 10, 'cabinet-test');
  await dataSource.initialize();
  // As the gateway's and worker's own data sources: commits that publish wake the event followers afterwards.
  EventWakeups.install(dataSource, EVENTS_CHANNEL);
  if (migrate) await dataSource.runMigrations({ transaction: 'all' });
  return {
    dataSource,
    url: url.toString(),
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
