import type { PgBoss } from 'pg-boss';
import { asJobDb, type RequestDb } from '../core/db';

export const REPORT_QUEUE = 'document-report';

export interface ReportJob {
  reportId: string;
}

/** Where requested reports wait for a worker. Enqueuing joins the caller's transaction. */
export interface ReportQueue {
  enqueueReport(db: RequestDb, reportId: string): Promise<void>;
}

export interface ReportQueueTimings {
  /** How long a worker may hold a job before another may take it: generous, a report of 100,000 numbers takes seconds. */
  expireInSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
}

export const DEFAULT_REPORT_TIMINGS: ReportQueueTimings = { expireInSeconds: 900, retryLimit: 3, retryDelaySeconds: 30 };

export async function createReportQueue(boss: PgBoss, timings: ReportQueueTimings = DEFAULT_REPORT_TIMINGS): Promise<ReportQueue> {
  if (!(await boss.getQueue(REPORT_QUEUE))) {
    await boss.createQueue(REPORT_QUEUE, {
      expireInSeconds: timings.expireInSeconds,
      retryLimit: timings.retryLimit,
      retryDelay: timings.retryDelaySeconds,
    });
  }
  return {
    async enqueueReport(db, reportId) {
      const job: ReportJob = { reportId };
      await boss.send(REPORT_QUEUE, job, {
        singletonKey: `report-${reportId}`,
        db: asJobDb(db),
      });
    },
  };
}

declare module '../core/context' {
  interface Ports {
    reports: ReportQueue;
  }
}
