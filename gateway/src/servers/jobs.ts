import { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import { createBilling } from '../billing/billing.adapter';
import type { Mailer } from '../delivery/mail';
import type { SmsSender } from '../delivery/sms';
import { startReportJobs, type ReportQueue } from '../documents';
import { startEventJobs } from '../events';
import { DEFAULT_DISPATCHER_OPTIONS, startWebhookJobs, type DispatcherOptions } from '../webhooks';
import { publishEvent } from '../core/events';
import type { Logger } from '../core/logger';
import { createOperationQueue, DEFAULT_QUEUE_TIMINGS, type OperationQueue, type QueueTimings } from '../operations/operation.queue';
import { startOperationWorker } from '../operations/operation.worker';
import { createBulkQueue, startApprovalJobs, startBulkWorker, startUploadJobs, type ApprovalQueue, type BulkQueue } from '../bulk';

export interface Jobs {
  operations: OperationQueue;
  reports: ReportQueue;
  bulk: BulkQueue;
  approvals: ApprovalQueue;
  stop(): Promise<void>;
}

export interface JobOptions {
  url: string;
  dataSource: DataSource;
  log: Logger;
  sms: SmsSender;
  billingDelayMs: number;
  /** BILLING_MAX_RATE and BILLING_CONCURRENCY: the shared gate of fleet operations' items (50/s and 20 by default). */
  billingMaxRate?: number;
  billingConcurrency?: number;
  runWorker: boolean;
  timings?: QueueTimings;
  /** How often expired jobs (of a killed worker) are put back; pg-boss's default is every 60 s. */
  superviseIntervalSeconds?: number;
  /** Where reports are e-mailed from; by default SMTP_URL, MAIL_FROM and DATA_DIR decide. */
  mailer?: Mailer;
  /** Days the event log keeps events (EVENT_RETENTION_DAYS); 30 by default. */
  eventRetentionDays?: number;
  /** How webhooks are sent (`dispatcherOptions(config)`); by default as with no WEBHOOK_* variables. */
  webhooks?: DispatcherOptions;
}

/**
 * The queue timings and pg-boss supervision for an expiry: expired jobs are looked for at least twice per expiry,
 * so a killed worker's operation is taken over within 1.5 expiries.
 */
export function jobTimingsFor(expireInSeconds: number): Pick<JobOptions, 'timings' | 'superviseIntervalSeconds'> {
  return {
    timings: { ...DEFAULT_QUEUE_TIMINGS, expireInSeconds },
    superviseIntervalSeconds: expireInSeconds < 120 ? Math.max(5, Math.floor(expireInSeconds / 2)) : undefined,
  };
}

/** pg-boss in the same PostgreSQL (schema `pgboss`): the operations and report queues and, when asked, their workers. */
export async function startJobs(options: JobOptions): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: 'pgboss',
    max: 4,
    ...(options.superviseIntervalSeconds
      ? { superviseIntervalSeconds: options.superviseIntervalSeconds, monitorIntervalSeconds: options.superviseIntervalSeconds }
      : {}),
  });
  boss.on('error', (error) => options.log.error({ err: error }, 'job queue error'));
  await boss.start();
  const timings = options.timings ?? DEFAULT_QUEUE_TIMINGS;
  const queue = await createOperationQueue(boss, timings);
  const bulk = await createBulkQueue(boss, timings);
  if (options.runWorker) {
    const deps = {
      boss,
      dataSource: options.dataSource,
      billing: createBilling(options.billingDelayMs),
      events: { publish: publishEvent },
      sms: options.sms,
      log: options.log,
    };
    await startOperationWorker(deps);
    await startBulkWorker({
      ...deps,
      queue: bulk,
      maxRate: options.billingMaxRate ?? 50,
      concurrency: options.billingConcurrency ?? 20,
      // A driver hands on to a fresh job well before pg-boss would take its job for a dead worker's.
      sliceMs: (timings.expireInSeconds * 1000) / 3,
    });
  }
  await startEventJobs({ boss, db: options.dataSource, log: options.log, retentionDays: options.eventRetentionDays ?? 30, runWorker: options.runWorker });
  await startUploadJobs({ boss, db: options.dataSource, log: options.log, runWorker: options.runWorker });
  const webhooks = await startWebhookJobs({
    boss,
    dataSource: options.dataSource,
    log: options.log,
    mailer: options.mailer,
    options: options.webhooks ?? DEFAULT_DISPATCHER_OPTIONS,
    retentionDays: options.eventRetentionDays ?? 30,
    runWorker: options.runWorker,
  });
  const approvals = await startApprovalJobs({
    boss,
    dataSource: options.dataSource,
    events: { publish: publishEvent },
    log: options.log,
    mailer: options.mailer,
    runWorker: options.runWorker,
  });
  const reports = await startReportJobs({ boss, dataSource: options.dataSource, log: options.log, runWorker: options.runWorker, mailer: options.mailer });
  return {
    operations: queue,
    reports: reports.queue,
    bulk,
    approvals,
    stop: async () => {
      await webhooks.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await reports.close();
    },
  };
}
