import type { PgBoss } from 'pg-boss';
import type { SqlRunner } from '../core/db';
import type { Logger } from '../core/logger';
import { OPEN_BULK_STATUSES } from './bulk.selection';
import { UPLOAD_LIST_HOURS } from './bulk.upload.service';

export const UPLOAD_PRUNE_QUEUE = 'bulk-upload-prune';
/** Hourly: a list is deleted at most two hours after it stops being usable. */
const PRUNE_CRON = '47 * * * *';

/**
 * Deletes the uploaded lists that can no longer be used, an hour past it: received more than UPLOAD_LIST_HOURS + 1
 * hours ago, and named by no fleet operation that is open or ended within the hour. The hour keeps a list under a dry
 * run or start that began while it was usable (they take seconds); one statement decides, and its lines go with it.
 */
export async function pruneUploads(db: SqlRunner): Promise<number> {
  const [{ removed }] = await db.query(
    `WITH gone AS (
       DELETE FROM cabinet.bulk_uploads u
       WHERE u.created_at < now() - make_interval(hours => $1 + 1)
         AND NOT EXISTS (
           SELECT 1 FROM cabinet.bulk_operations b
           WHERE b.company_id = u.company_id AND b.selection->>'uploadId' = u.id::text
             AND (b.status IN ${OPEN_BULK_STATUSES} OR b.finished_at > now() - interval '1 hour')
         )
       RETURNING 1
     )
     SELECT count(*)::int AS removed FROM gone`,
    [UPLOAD_LIST_HOURS],
  );
  return removed;
}

export interface UploadJobOptions {
  boss: PgBoss;
  db: SqlRunner;
  log: Logger;
  runWorker: boolean;
}

/** The pruning of uploaded lists, on a schedule that pg-boss runs once for all processes. */
export async function startUploadJobs({ boss, db, log, runWorker }: UploadJobOptions): Promise<void> {
  if (!(await boss.getQueue(UPLOAD_PRUNE_QUEUE))) await boss.createQueue(UPLOAD_PRUNE_QUEUE, { retryLimit: 2, expireInSeconds: 900 });
  await boss.schedule(UPLOAD_PRUNE_QUEUE, PRUNE_CRON);
  if (!runWorker) return;
  await boss.work(UPLOAD_PRUNE_QUEUE, async () => {
    const removed = await pruneUploads(db);
    if (removed > 0) log.info({ removed }, 'removed uploaded lists that can no longer be used');
  });
}
