import 'reflect-metadata';
import { buildApp } from './app';
import { loadConfigOrExit } from './config';
import { openDatabase } from './db/database';
import { seedDemoOnce } from './db/demo';
import { createMailer } from './delivery/mail';
import { createSmsSender } from './delivery/sms';
import { reportMailerOptions } from './documents';
import { createLogger } from './core/logger';
import { registerMissingReleases } from './releases';
import { jobTimingsFor, startJobs } from './servers/jobs';
import { dispatcherOptions } from './webhooks';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel);
  const started = Date.now();
  const database = await openDatabase(config, log);
  if (config.seedDemo) await seedDemoOnce(database.dataSource, log);
  if (!config.smppUrl) {
    log.warn('SMS are not sent: they go to the cabinet.sms_outbox table and to this log, codes included. Set SMPP_URL to send them.');
  }
  const sms = createSmsSender({ smppUrl: config.smppUrl }, database.dataSource, log);
  const mailer = createMailer(reportMailerOptions(config));
  const jobs = await startJobs({
    url: database.url,
    dataSource: database.dataSource,
    log,
    sms,
    billingDelayMs: config.billingDelayMs,
    billingMaxRate: config.billingMaxRate,
    billingConcurrency: config.billingConcurrency,
    runWorker: config.runWorker,
    mailer,
    eventRetentionDays: config.eventRetentionDays,
    webhooks: dispatcherOptions(config),
    ...jobTimingsFor(config.operationExpireSeconds),
  });
  await registerMissingReleases(database.dataSource, log);
  const app = await buildApp({ config, dataSource: database.dataSource, log, sms, operations: jobs.operations, reports: jobs.reports, bulk: jobs.bulk });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: draining in-flight requests');
    const force = setTimeout(() => {
      log.error('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    force.unref();
    try {
      await app.close();
      await jobs.stop();
      await mailer.close();
      await database.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info(
    { engine: config.engine, ms: Date.now() - started },
    `Cabinet is ready: the portal at ${base}/, GraphQL at ${base}/graphql, GraphiQL at ${base}/graphiql`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Cabinet failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
