import { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import { createBillingSimulator } from '../billing/billing.simulator';
import type { SmsSender } from '../delivery/sms';
import { publishEvent } from '../graphql/pubsub';
import type { Logger } from '../logger';
import { createOperationQueue, DEFAULT_QUEUE_TIMINGS, type OperationQueue, type QueueTimings } from './operation.queue';
import { startOperationWorker } from './operation.worker';

export interface Jobs {
  queue: OperationQueue;
  stop(): Promise<void>;
}

export interface JobOptions {
  url: string;
  dataSource: DataSource;
  log: Logger;
  sms: SmsSender;
  billingDelayMs: number;
  runWorker: boolean;
  timings?: QueueTimings;
  /** How often expired jobs (of a killed worker) are put back; pg-boss's default is every 60 s. */
  superviseIntervalSeconds?: number;
}

/** pg-boss in the same PostgreSQL (schema `pgboss`): the operations queue and, when asked, its worker. */
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
  const queue = await createOperationQueue(boss, options.timings ?? DEFAULT_QUEUE_TIMINGS);
  if (options.runWorker) {
    await startOperationWorker({
      boss,
      dataSource: options.dataSource,
      billing: createBillingSimulator(options.billingDelayMs),
      events: { publish: publishEvent },
      sms: options.sms,
      log: options.log,
    });
  }
  return { queue, stop: () => boss.stop({ graceful: true, timeout: 10_000 }) };
}
