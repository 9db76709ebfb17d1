import type { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import { mailOutboxDir, type Mailer, type MailerOptions } from '../delivery';
import { publishEvent } from '../core/events';
import type { Logger } from '../core/logger';
import { createReportQueue, DEFAULT_REPORT_TIMINGS, type ReportQueue, type ReportQueueTimings } from './report.queue';
import { startReportWorker } from './report.worker';

export interface ReportJobOptions {
  boss: PgBoss;
  dataSource: DataSource;
  log: Logger;
  runWorker: boolean;
  /** Where reports are e-mailed from (`createMailer(reportMailerOptions(config))`), closed by the caller; the worker needs it. */
  mailer?: Mailer;
  timings?: ReportQueueTimings;
}

/** SMTP when `smtpUrl` is set, else `.eml` files in `<dataDir>/outbox`. */
export function reportMailerOptions(config: { readonly smtpUrl?: string; readonly mailFrom: string; readonly dataDir: string }): MailerOptions {
  return { smtpUrl: config.smtpUrl, outboxDir: mailOutboxDir(config.dataDir), from: config.mailFrom };
}

/** The report queue on a started pg-boss and, when asked, its worker. */
export async function startReportJobs(options: ReportJobOptions): Promise<{ queue: ReportQueue; close(): Promise<void> }> {
  const timings = options.timings ?? DEFAULT_REPORT_TIMINGS;
  const queue = await createReportQueue(options.boss, timings);
  if (!options.runWorker) return { queue, close: async () => undefined };
  const { mailer } = options;
  if (!mailer) throw new Error('The report worker needs a mailer: pass createMailer(reportMailerOptions(config))');
  await startReportWorker(
    { boss: options.boss, dataSource: options.dataSource, mailer, events: { publish: publishEvent }, log: options.log },
    timings.retryLimit,
  );
  return { queue, close: async () => undefined };
}
