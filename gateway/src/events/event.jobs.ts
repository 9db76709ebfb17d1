import type { PgBoss } from 'pg-boss';
import type { Logger } from '../core/logger';
import type { EventLogDb } from '../core/event-log';
import { eventService } from './event.service';

export const EVENT_PRUNE_QUEUE = 'event-prune';
/** Hourly: the log outgrows its retention by an hour's events at most. */
const PRUNE_CRON = '17 * * * *';

export interface EventJobOptions {
  boss: PgBoss;
  db: EventLogDb;
  log: Logger;
  /** Days the event log keeps events (EVENT_RETENTION_DAYS). */
  retentionDays: number;
  runWorker: boolean;
}

/** Removes events older than the retention, on a schedule that pg-boss runs once for all processes. */
export async function startEventJobs({ boss, db, log, retentionDays, runWorker }: EventJobOptions): Promise<void> {
  if (!(await boss.getQueue(EVENT_PRUNE_QUEUE))) await boss.createQueue(EVENT_PRUNE_QUEUE, { retryLimit: 2, expireInSeconds: 900 });
  await boss.schedule(EVENT_PRUNE_QUEUE, PRUNE_CRON);
  if (!runWorker) return;
  await boss.work(EVENT_PRUNE_QUEUE, async () => {
    const removed = await eventService.prune(db, retentionDays);
    if (removed > 0) log.info({ removed, retentionDays }, 'removed events older than the retention');
  });
}
