import type { Language } from '../core/language';
import type { RequestDb } from '../core/db';
import type { DocumentSpec } from './document.spec';

export type ReportKind = 'NUMBERS_LIST' | 'RECONCILIATION_ACT';
export type ReportStatus = 'IN_PROCESS' | 'SUCCESS' | 'FAILURE';

export interface ReportRow {
  id: string;
  companyId: number;
  kind: ReportKind;
  status: ReportStatus;
  params: DocumentSpec;
  email: string;
  rows: number | null;
  dataAsOf: Date | null;
  failureReason: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** What the worker needs of a report to prepare and send it. */
export interface ReportJobRow {
  id: string;
  companyId: number;
  status: string;
  params: DocumentSpec;
  email: string;
  language: Language;
  actionLogId: string | null;
}

const REPORT = `SELECT id::text, company_id AS "companyId", kind, status, params, email, rows, data_as_of AS "dataAsOf",
  failure_reason AS "failureReason", created_at AS "createdAt", finished_at AS "finishedAt" FROM cabinet.reports`;

export async function reportById(db: RequestDb, id: string): Promise<ReportRow | null> {
  const [row] = await db.query<ReportRow>(`${REPORT} WHERE id = $1`, [id]);
  return row ?? null;
}

/** One page of the company's reports, newest first, keyset-paged on (created_at, id). */
export function listReports(db: RequestDb, companyId: number, limit: number, after: [string, string] | null): Promise<ReportRow[]> {
  return db.query<ReportRow>(
    `${REPORT} WHERE company_id = $1 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::bigint))
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [companyId, limit, after?.[0] ?? null, after?.[1] ?? null],
  );
}

export interface NewReport {
  companyId: number;
  spec: DocumentSpec & { kind: ReportKind };
  email: string;
  language: Language;
  actionLogId: string;
  administratorId: number | null;
  apiKeyId: number | null;
}

/** Writes a report In process; returns its id. */
export async function insertReport(db: RequestDb, report: NewReport): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO cabinet.reports (company_id, kind, params, email, language, action_log_id, administrator_id, api_key_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
    [
      report.companyId,
      report.spec.kind,
      JSON.stringify(report.spec),
      report.email,
      report.language,
      report.actionLogId,
      report.administratorId,
      report.apiKeyId,
    ],
  );
  return row.id;
}

/** Whether `email` is the address of an administrator granted the company. */
export async function isCompanyAdministratorEmail(db: RequestDb, companyId: number, email: string): Promise<boolean> {
  const [own] = await db.query(
    `SELECT 1 FROM cabinet.administrators a JOIN cabinet.grants g ON g.administrator_id = a.id
     WHERE g.company_id = $1 AND lower(a.email) = lower($2) LIMIT 1`,
    [companyId, email],
  );
  return own !== undefined;
}

export async function administratorEmail(db: RequestDb, administratorId: number): Promise<string | null> {
  const [row] = await db.query<{ email: string | null }>(`SELECT email FROM cabinet.administrators WHERE id = $1`, [administratorId]);
  return row?.email ?? null;
}

export async function reportForJob(db: RequestDb, id: string): Promise<ReportJobRow | null> {
  const [row] = await db.query<ReportJobRow>(
    `SELECT id::text, company_id AS "companyId", status, params, email, trim(language) AS language, action_log_id::text AS "actionLogId"
     FROM cabinet.reports WHERE id = $1`,
    [id],
  );
  return row ?? null;
}

/** Records how a report In process ended; false when it had ended already. */
export async function finishReport(
  db: RequestDb,
  id: string,
  outcome: { status: 'SUCCESS' | 'FAILURE'; rows: number | null; dataAsOf: Date | null; failureReason: string | null },
): Promise<boolean> {
  const changed = await db.query(
    `UPDATE cabinet.reports SET status = $2, rows = $3, data_as_of = $4, failure_reason = $5, finished_at = now()
     WHERE id = $1 AND status = 'IN_PROCESS' RETURNING id`,
    [id, outcome.status, outcome.rows, outcome.dataAsOf, outcome.failureReason],
  );
  return changed.length > 0;
}
