import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { ReportFailureCode } from '../actions';
import { settleAction } from '../core/action-recorder';
import type { Mailer } from '../delivery';
import { RequestDb } from '../core/db';
import { type EventPublisher } from '../core/events';
import { type Language } from '../core/language';
import type { Logger } from '../core/logger';
import { documentFileName, loadSubject, writeDocument } from './document.render';
import { CONTENT_TYPES, formatOf, type DocumentSpec } from './document.spec';
import { DOCUMENT_TEXTS } from './document.texts';
import { formatDateTime } from './format';
import { REPORT_QUEUE, type ReportJob } from './report.queue';
import { finishReport, reportForJob, type ReportJobRow } from './report.repository';

export const REPORT_CHANGED = 'REPORT_CHANGED';

export interface ReportWorkerDeps {
  boss: PgBoss;
  dataSource: DataSource;
  mailer: Mailer;
  events: Pick<EventPublisher, 'publish'>;
  log: Logger;
  /** Where a report is written before it is mailed; the system's temporary directory by default. */
  tmpDir?: string;
}

type Outcome = { ok: true; rows: number; dataAsOf: Date } | { ok: false; reason: ReportFailureCode };

const day = (iso: string) => iso.split('-').reverse().join('.');

function message(spec: DocumentSpec, company: string, language: Language, at: string): { subject: string; text: string } {
  const t = DOCUMENT_TEXTS[language].mail;
  if (spec.kind === 'RECONCILIATION_ACT') {
    const period = `${day(spec.from)} – ${day(spec.to)}`;
    return { subject: t.reconciliationSubject(company, period), text: t.reconciliationText(company, period, at) };
  }
  return { subject: t.numbersSubject(company), text: t.numbersText(company, at) };
}

/**
 * Prepares one report and e-mails it, then records the outcome on the report and in the actions history and
 * publishes REPORT_CHANGED, in one transaction. A failure is recorded only on the last attempt; before it, the
 * job is retried. A report no longer In process is left alone.
 */
export async function processReport(deps: ReportWorkerDeps, reportId: string, lastAttempt: boolean): Promise<'done' | 'failed' | 'skipped'> {
  const report = await reportForJob(new RequestDb(deps.dataSource), reportId);
  if (!report || report.status !== 'IN_PROCESS') return 'skipped';
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'cabinet-report-'));
  let failure: ReportFailureCode = 'REPORT_NOT_PREPARED';
  try {
    const spec = report.params;
    const subject = await loadSubject(new RequestDb(deps.dataSource), spec);
    if (!subject) throw new Error(`The subject of report ${reportId} no longer exists`);
    const filename = documentFileName(spec, subject);
    const path = join(dir, filename);
    const written = await deps.dataSource.transaction((manager) =>
      writeDocument(new RequestDb(manager.queryRunner!), spec, subject, report.language, createWriteStream(path)),
    );
    const mail = message(spec, subject.company.name, report.language, formatDateTime(written.dataAsOf, report.language));
    failure = 'REPORT_NOT_SENT';
    await deps.mailer.send({ to: report.email, ...mail, attachments: [{ filename, path, contentType: CONTENT_TYPES[formatOf(spec)] }] });
    await finish(deps, report, { ok: true, rows: written.rows, dataAsOf: written.dataAsOf });
    deps.log.info({ reportId, rows: written.rows }, 'report sent');
    return 'done';
  } catch (error) {
    if (!lastAttempt) throw error;
    // The report and its actions entry keep the stable code; the error's own words stay in the log.
    deps.log.error({ err: error, reportId, failure }, 'report failed');
    await finish(deps, report, { ok: false, reason: failure });
    return 'failed';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function finish(deps: ReportWorkerDeps, report: ReportJobRow, outcome: Outcome): Promise<void> {
  const status = outcome.ok ? 'SUCCESS' : 'FAILURE';
  await deps.dataSource.transaction(async (manager) => {
    const db = new RequestDb(manager.queryRunner!);
    const finished = await finishReport(db, report.id, {
      status,
      rows: outcome.ok ? outcome.rows : null,
      dataAsOf: outcome.ok ? outcome.dataAsOf : null,
      failureReason: outcome.ok ? null : outcome.reason,
    });
    if (!finished) return;
    if (report.actionLogId) await settleAction(db, report.actionLogId, status, outcome.ok ? null : outcome.reason);
    await deps.events.publish(db, { topic: REPORT_CHANGED, companyId: report.companyId, payload: { reportId: report.id, status } });
  });
}

/** Works the report queue in this process until `boss.stop()`. */
export async function startReportWorker(deps: ReportWorkerDeps, retryLimit: number, concurrency = 2): Promise<void> {
  await deps.boss.work<ReportJob>(REPORT_QUEUE, { localConcurrency: concurrency, pollingIntervalSeconds: 0.5 }, async ([job]) => {
    await processReport(deps, job.data.reportId, job.retryCount >= retryLimit);
  });
}
