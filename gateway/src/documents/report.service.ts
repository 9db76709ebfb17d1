import { recordAction } from '../core/action-recorder';
import { ForbiddenError, requireCompany, requirePrincipal } from '../core/access';
import { RateLimitedError, rateLimits } from '../core/rate-limit';
import { companyService, type CompanyType } from '../companies';
import { isEmailAddress } from '../delivery';
import { eventService } from '../events';
import type { Context } from '../core/context';
import type { CabinetEvent } from '../core/events';
import { BadUserInputError, NotFoundError } from '../core/errors';
import { checkPageSize, decodeNewestFirst, newestFirstPage, type Page } from '../core/paging';
import { reconciliationPeriod } from './document.service';
import type { DocumentSpec } from './document.spec';
import { administratorEmail, insertReport, isCompanyAdministratorEmail, listReports, reportById, type ReportKind, type ReportRow } from './report.repository';
import { REPORT_CHANGED } from './report.worker';

export type { ReportKind, ReportRow, ReportStatus } from './report.repository';

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
      if (!(await isCompanyAdministratorEmail(ctx.db, companyId, address)))
        throw new ForbiddenError('A READ key may send reports only to the company’s administrators; use an OPERATE key for other addresses');
    }
    return address;
  }
  if (principal.kind !== 'administrator') throw new BadUserInputError('email', 'Give the e-mail address to send the report to');
  const own = await administratorEmail(ctx.db, principal.administratorId);
  if (!own || !isEmailAddress(own)) throw new BadUserInputError('email', 'Give the e-mail address to send the report to');
  return own;
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
    const reportId = await insertReport(ctx.db, {
      companyId: company.dbId,
      spec,
      email,
      language: ctx.language,
      actionLogId,
      administratorId: principal.kind === 'administrator' ? principal.administratorId : null,
      apiKeyId: principal.kind === 'apiKey' ? principal.apiKeyId : null,
    });
    await queue.enqueueReport(ctx.db, reportId);
    await ctx.ports.events?.publish(ctx.db, { topic: REPORT_CHANGED, companyId: company.dbId, payload: { reportId, status: 'IN_PROCESS' } });
    return reportId;
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
  async reconciliationAct(ctx: Context, companyId: number, query: { from?: string | null; to?: string | null; email?: string | null }): Promise<ReportRow> {
    const company = await companyService.get(ctx, companyId);
    const period = reconciliationPeriod(query.from, query.to);
    const to = await recipient(ctx, company.dbId, query.email);
    const spec = { kind: 'RECONCILIATION_ACT' as const, companyId: company.dbId, ...period };
    return request(ctx, company, spec, { action: 'REQUEST_RECONCILIATION_ACT', details: { ...period } }, to);
  },

  byId(ctx: Context, id: string): Promise<ReportRow | null> {
    return reportById(ctx.db, id);
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
    const cursor = decodeNewestFirst(after);
    const rows = await listReports(ctx.db, company.dbId, size + 1, cursor);
    return newestFirstPage(rows, size, cursor, (row) => row);
  },
};

/** REPORT_CHANGED events of a company the caller is granted: after the cursor `after`, or from now on. */
export function reportEvents(ctx: Context, companyId: number, after: string | null | undefined): Promise<AsyncIterable<CabinetEvent>> {
  return eventService.follow(ctx, companyId, [REPORT_CHANGED], after);
}
