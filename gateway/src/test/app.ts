import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { RequestStats } from '../app';
import { buildApp } from '../app';
import type { GatewayEngine } from '../config';
import { seedDemo } from '../db/seed/seed';
import { createTestDatabase, type TestDatabase } from './database';

export const ENGINES: GatewayEngine[] = ['mercurius', 'apollo'];

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string } }[];
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  stats: RequestStats[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** A gateway on a fresh database seeded with the demo data, reached through Fastify's inject. */
export async function startTestApp(engine: GatewayEngine, { seed = true, db }: { seed?: boolean; db?: TestDatabase } = {}): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  if (seed && !db) await database.dataSource.transaction((manager) => seedDemo(manager));
  const stats: RequestStats[] = [];
  const app = await buildApp({
    config: { engine },
    dataSource: database.dataSource,
    log: pino({ level: 'silent' }),
    onRequestStats: (s) => stats.push(s),
  });
  await app.ready();
  return {
    app,
    db: database,
    stats,
    async gql(query, variables, headers = {}) {
      const response = await app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...headers },
        payload: JSON.stringify({ query, variables }),
      });
      return { status: response.statusCode, ...response.json() };
    },
    async close() {
      await app.close();
      if (!db) await database.drop();
    },
  };
}
