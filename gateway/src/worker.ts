import 'reflect-metadata';
import { loadConfigOrExit } from './config';
import { openDatabase } from './db/database';
import { createMailer } from './delivery/mail';
import { createSmsSender } from './delivery/sms';
import { reportMailerOptions } from './documents';
import { createLogger } from './core/logger';
import { jobTimingsFor, startJobs } from './servers/jobs';
import { dispatcherOptions } from './webhooks';

/** A worker alone: takes operations from the queue and carries them out through the billing system. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config, log);
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
    runWorker: true,
    mailer,
    eventRetentionDays: config.eventRetentionDays,
    webhooks: dispatcherOptions(config),
    ...jobTimingsFor(config.operationExpireSeconds),
  });
  log.info({ billingDelayMs: config.billingDelayMs }, 'operations worker started');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await jobs.stop();
    await mailer.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
