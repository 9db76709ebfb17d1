import { recordAction } from '../actions/action-recorder';
import { ForbiddenError, requireCompany, requirePrincipal } from '../auth/access';
import { RateLimitedError, rateLimits } from '../auth/rate-limit';
import { companyService, type CompanyType } from '../companies';
import { isEmailAddress } from '../delivery/mail';
import { eventService } from '../events';
import type { Context } from '../graphql/context';
import type { CabinetEvent } from '../graphql/pubsub';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../graphql/paging';
import { reconciliationPeriod } from './document.service';
import type { DocumentSpec } from './document.spec';
import { REPORT_CHANGED } from './report.worker';

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

const REPORT = `SELECT id::text, company_id AS "companyId", kind, status, params, email, rows, data_as_of AS "dataAsOf",
  failure_reason AS "failureReason", created_at AS "createdAt", finished_at AS "finishedAt" FROM cabinet.reports`;

/** E-mailed reports per company per hour, counted atomically across processes. */
export const REPORTS_PER_COMPANY = { max: 20, windowSeconds: 3600 };

/**
 * The address to send to: the one given, else the signed-in administrator's. A READ key may only send to an
 * address of one of the company's administrators, so that a read-only key cannot send company data out.
 */
async function recipient(ctx: Context, companyId: number, email: string | null | undefined): Promise<string> {
  const principal = requirePrincipal(ctx);
  if (email !== null && email !== undefined) {
    const address = email.trim();
    if (!isEmailAddress(address)) throw new BadUserInputError('email', 'email must be one e-mail address');
    if (principal.kind === 'apiKey' && principal.scope === 'READ') {
      const [own] = await ctx.db.query(
        `SELECT 1 FROM cabinet.administrators a JOIN cabinet.grants g ON g.administrator_id = a.id
         WHERE g.company_id = $1 AND lower(a.email) = lower($2) LIMIT 1`,
        [companyId, address],
      );
      if (!own) throw new ForbiddenError('A READ key may send reports only to the company’s administrators; use an OPERATE key for other addresses');
    }
    return address;
  }
  if (principal.kind !== 'administrator') throw new BadUserInputError('email', 'Give the e-mail address to send the report to');
  const [row] = await ctx.db.query<{ email: string }>(`SELECT email FROM cabinet.administrators WHERE id = $1`, [principal.administratorId]);
  if (!row?.email || !isEmailAddress(row.email)) throw new BadUserInputError('email', 'Give the e-mail address to send the report to');
  return row.email;
}

/**
 * Accepts a report: in one transaction its actions-history entry (In process), the report and its job are
 * written and REPORT_CHANGED is published. A worker prepares it, e-mails it, and records the outcome.
 */
async function request(
  ctx: Context,
  company: CompanyType,
  spec: DocumentSpec & { kind: ReportKind },
  entry: { action: string; details: Record<string, string> },
  email: string,
): Promise<ReportRow> {
  const principal = requirePrincipal(ctx);
  const wait = await rateLimits.consume(ctx.db, { key: `reports:company:${company.dbId}`, ...REPORTS_PER_COMPANY });
  if (wait > 0) throw new RateLimitedError(`Too many reports were e-mailed for this company. Try again in ${Math.ceil(wait / 60)} min.`, wait);
  const queue = ctx.ports.reports;
  const id = await ctx.transaction(async () => {
    const actionLogId = await recordAction(ctx, {
      action: entry.action,
      status: 'IN_PROCESS',
      companyId: company.dbId,
      details: { ...entry.details, email },
    });
    const [report] = await ctx.db.query<{ id: string }>(
      `INSERT INTO cabinet.reports (company_id, kind, params, email, language, action_log_id, administrator_id, api_key_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
      [
        company.dbId,
        spec.kind,
        JSON.stringify(spec),
        email,
        ctx.language,
        actionLogId,
        principal.kind === 'administrator' ? principal.administratorId : null,
        principal.kind === 'apiKey' ? principal.apiKeyId : null,
      ],
    );
    await queue.enqueueReport(ctx.db, report.id);
    await ctx.ports.events?.publish(ctx.db, { topic: REPORT_CHANGED, companyId: company.dbId, payload: { reportId: report.id, status: 'IN_PROCESS' } });
    return report.id;
  });
  return (await reportService.byId(ctx, id))!;
}

export const reportService = {
  /** The list of numbers report (F22), e-mailed as XLSX. */
  async numbersList(ctx: Context, companyId: number, email: string | null | undefined): Promise<ReportRow> {
    const company = await companyService.get(ctx, companyId);
    const to = await recipient(ctx, company.dbId, email);
    return request(ctx, company, { kind: 'NUMBERS_LIST', companyId: company.dbId }, { action: 'REQUEST_NUMBERS_REPORT', details: {} }, to);
  },

  /** The reconciliation act (F25) over a period at most 12 months back, e-mailed as PDF. */
  async reconciliationAct(
    ctx: Context,
    companyId: number,
    query: { from?: string | null; to?: string | null; email?: string | null },
  ): Promise<ReportRow> {
    const company = await companyService.get(ctx, companyId);
    const period = reconciliationPeriod(query.from, query.to);
    const to = await recipient(ctx, company.dbId, query.email);
    const spec = { kind: 'RECONCILIATION_ACT' as const, companyId: company.dbId, ...period };
    return request(ctx, company, spec, { action: 'REQUEST_RECONCILIATION_ACT', details: { ...period } }, to);
  },

  async byId(ctx: Context, id: string): Promise<ReportRow | null> {
    const [row] = await ctx.db.query<ReportRow>(`${REPORT} WHERE id = $1`, [id]);
    return row ?? null;
  },

  /** A report of a company granted to the caller; NOT_FOUND otherwise. */
  async get(ctx: Context, id: string): Promise<ReportRow> {
    requirePrincipal(ctx);
    const row = await this.byId(ctx, id);
    if (!row) throw new NotFoundError('Report');
    requireCompany(ctx, row.companyId, 'Report');
    return row;
  },

  /** Reports of the company, newest first. */
  async list(ctx: Context, company: CompanyType, first?: number, after?: string): Promise<Page<ReportRow>> {
    const size = checkPageSize(first);
    const cursor = decodeAfter(after, ['timestamp', 'bigint']) as [string, string] | null;
    const rows = await ctx.db.query<ReportRow>(
      `${REPORT} WHERE company_id = $1 AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::bigint))
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [company.dbId, size + 1, cursor?.[0] ?? null, cursor?.[1] ?? null],
    );
    return toPage(rows, size, cursor !== null, (row) => row, (row) => encodeCursor([new Date(row.createdAt).toISOString(), row.id]));
  },
};

/** REPORT_CHANGED events of a company the caller is granted: after the cursor `after`, or from now on. */
export function reportEvents(ctx: Context, companyId: number, after: string | null | undefined): Promise<AsyncIterable<CabinetEvent>> {
  return eventService.follow(ctx, companyId, [REPORT_CHANGED], after);
}
