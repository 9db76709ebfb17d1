import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { Mailer } from '../delivery/mail';
import { RequestDb, type EventPublisher, type Language } from '../graphql/context';
import type { Logger } from '../logger';
import { documentFileName, loadSubject, writeDocument } from './document.render';
import { CONTENT_TYPES, formatOf, type DocumentSpec } from './document.spec';
import { DOCUMENT_TEXTS } from './document.texts';
import { formatDateTime } from './format';
import { REPORT_QUEUE, type ReportJob } from './report.queue';

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

interface ReportRow {
  id: string;
  companyId: number;
  status: string;
  params: DocumentSpec;
  email: string;
  language: Language;
  actionLogId: string | null;
}

type Outcome = { ok: true; rows: number; dataAsOf: Date } | { ok: false; reason: string };

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
  const [report] = await deps.dataSource.query<ReportRow[]>(
    `SELECT id::text, company_id AS "companyId", status, params, email, trim(language) AS language, action_log_id::text AS "actionLogId"
     FROM cabinet.reports WHERE id = $1`,
    [reportId],
  );
  if (!report || report.status !== 'IN_PROCESS') return 'skipped';
  const dir = await mkdtemp(join(deps.tmpDir ?? tmpdir(), 'cabinet-report-'));
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
    await deps.mailer.send({ to: report.email, ...mail, attachments: [{ filename, path, contentType: CONTENT_TYPES[formatOf(spec)] }] });
    await finish(deps, report, { ok: true, rows: written.rows, dataAsOf: written.dataAsOf });
    deps.log.info({ reportId, rows: written.rows }, 'report sent');
    return 'done';
  } catch (error) {
    if (!lastAttempt) throw error;
    deps.log.error({ err: error, reportId }, 'report failed');
    await finish(deps, report, { ok: false, reason: error instanceof Error ? error.message.slice(0, 500) : String(error) });
    return 'failed';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function finish(deps: ReportWorkerDeps, report: ReportRow, outcome: Outcome): Promise<void> {
  const status = outcome.ok ? 'SUCCESS' : 'FAILURE';
  await deps.dataSource.transaction(async (manager) => {
    const db = new RequestDb(manager.queryRunner!);
    const changed = await db.query(
      `UPDATE cabinet.reports SET status = $2, rows = $3, data_as_of = $4, failure_reason = $5, finished_at = now()
       WHERE id = $1 AND status = 'IN_PROCESS' RETURNING id`,
      [report.id, status, outcome.ok ? outcome.rows : null, outcome.ok ? outcome.dataAsOf : null, outcome.ok ? null : outcome.reason],
    );
    if (changed.length === 0) return;
    if (report.actionLogId) {
      await db.query(
        `UPDATE cabinet.action_log SET status = $2,
           details = CASE WHEN $3::text IS NULL THEN details ELSE details || jsonb_build_object('error', $3::text) END
         WHERE id = $1`,
        [report.actionLogId, status, outcome.ok ? null : outcome.reason],
      );
    }
    await deps.events.publish(db, { topic: REPORT_CHANGED, companyId: report.companyId, payload: { reportId: report.id, status } });
  });
}

/** Works the report queue in this process until `boss.stop()`. */
export async function startReportWorker(deps: ReportWorkerDeps, retryLimit: number, concurrency = 2): Promise<void> {
  await deps.boss.work<ReportJob>(REPORT_QUEUE, { localConcurrency: concurrency, pollingIntervalSeconds: 0.5 }, async ([job]) => {
    await processReport(deps, job.data.reportId, job.retryCount >= retryLimit);
  });
}
