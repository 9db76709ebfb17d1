import { SessionCache } from '../core/session-cache';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { RequestStats } from '../app';
import { buildApp } from '../app';
import { hashPassword } from '../auth/password';
import { type AppConfig, type GatewayEngine, loadConfig } from '../config';
import { createMailer, type Mailer } from '../delivery/mail';
import { seedDemo } from '../db/seed/seed';
import { reportMailerOptions } from '../documents';
import { createSmsSender } from '../delivery/sms';
import { startJobs, type Jobs } from '../servers/jobs';
import type { QueueTimings } from '../operations/operation.queue';
import { dispatcherOptions } from '../webhooks';
import { createTestDatabase, type TestDatabase } from './database';

export const ENGINES: GatewayEngine[] = ['mercurius', 'apollo'];
export const TEST_PASSWORD = 'correct horse battery staple';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> & { code?: string; field?: string } }[];
  extensions?: Record<string, any>;
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  stats: RequestStats[];
  /** Session cookie of an administrator granted every company that existed when the app started. */
  adminCookie: string;
  /** As that administrator. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** With exactly the headers given (no session unless a cookie is among them). */
  request<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /**
   * What the gateway knows once SESSION_CACHE_SECONDS have passed: for a test that changes sessions or grants by
   * hand (as no event tells) or moves a session's clock, the next request reads them afresh.
   */
  afterSessionCache(): void;
  close(): Promise<void>;
}

/** The configuration of an environment with nothing set (the process's SMTP_URL aside), with the values given instead. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return Object.freeze({ ...loadConfig({ SMTP_URL: process.env.SMTP_URL }), ...given });
}

let nextPhone = 77000000000;

/** An administrator with a password and grants, written straight to the database. */
export async function createAdministrator(
  db: TestDatabase,
  { companyIds, password = TEST_PASSWORD, name = 'Test Administrator' }: { companyIds: number[]; password?: string | null; name?: string },
): Promise<{ id: number; phone: string; password: string | null }> {
  const phone = String(++nextPhone + Math.floor(Math.random() * 1000) * 1000);
  const [row] = await db.dataSource.query(
    `INSERT INTO cabinet.administrators (name, phone, email, password_hash, language) VALUES ($1, $2, $3, $4, 'en') RETURNING id`,
    [name, phone, `admin${phone}@example.kz`, password === null ? null : await hashPassword(password)],
  );
  await db.dataSource.query(`INSERT INTO cabinet.grants (administrator_id, company_id) SELECT $1, unnest($2::int[])`, [row.id, companyIds]);
  return { id: row.id, phone, password };
}

export function sessionCookie(headers: Record<string, string | string[] | undefined>): string {
  const setCookie = headers['set-cookie'];
  const first = (Array.isArray(setCookie) ? setCookie : [setCookie ?? '']).find((c) => c.startsWith('cabinet_session='));
  if (!first) throw new Error('no session cookie was set');
  return first.split(';')[0];
}

/** A gateway on a fresh database seeded with the demo data, reached through Fastify's inject. */
export interface TestJobs {
  billingDelayMs?: number;
  runWorker?: boolean;
  timings?: QueueTimings;
  superviseIntervalSeconds?: number;
  billingMaxRate?: number;
  billingConcurrency?: number;
}

export async function startTestApp(
  engine: GatewayEngine,
  { seed = true, db, jobs: jobOptions, config: overrides }: { seed?: boolean; db?: TestDatabase; jobs?: TestJobs; config?: Partial<AppConfig> } = {},
): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  if (seed && !db) await database.dataSource.transaction((manager) => seedDemo(manager));
  const stats: RequestStats[] = [];
  const log = pino({ level: 'silent' });
  const sms = createSmsSender({}, database.dataSource, log);
  const config = testConfig({ ...overrides, engine });
  let jobs: Jobs | undefined;
  let mailer: Mailer | undefined;
  if (jobOptions) {
    mailer = createMailer(reportMailerOptions(config));
    jobs = await startJobs({
      url: database.url,
      dataSource: database.dataSource,
      log,
      sms,
      billingDelayMs: jobOptions.billingDelayMs ?? 0,
      runWorker: jobOptions.runWorker ?? true,
      timings: jobOptions.timings,
      superviseIntervalSeconds: jobOptions.superviseIntervalSeconds,
      billingMaxRate: jobOptions.billingMaxRate,
      billingConcurrency: jobOptions.billingConcurrency,
      mailer,
      webhooks: dispatcherOptions(config),
    });
  }
  const sessionCache = new SessionCache();
  const app = await buildApp({
    sessionCache,
    config,
    dataSource: database.dataSource,
    log,
    onRequestStats: (s) => stats.push(s),
    sms,
    operations: jobs?.operations,
    bulk: jobs?.bulk,
    approvals: jobs?.approvals,
    reports: jobs?.reports,
  });
  await app.ready();

  const request = async (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ query, variables }),
    });
    return { status: response.statusCode, headers: response.headers, ...response.json() };
  };

  const companies: { id: number }[] = await database.dataSource.query(`SELECT id FROM billing.companies`);
  const admin = await createAdministrator(database, { companyIds: companies.map((c) => c.id) });
  const login = await request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD });
  const adminCookie = sessionCookie(login.headers);

  return {
    app,
    db: database,
    stats,
    adminCookie,
    gql: (query, variables, headers = {}) => request(query, variables, { cookie: adminCookie, ...headers }),
    request,
    afterSessionCache: () => sessionCache.clear(),
    async close() {
      await app.close();
      await jobs?.stop();
      await mailer?.close();
      if (!db) await database.drop();
    },
  };
}
