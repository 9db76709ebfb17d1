import {
  currentMonth,
  FIRST_DOCUMENT_YEAR,
  INVOICE_REGISTER_MAX_MONTHS,
  monthsBetween,
  RECONCILIATION_WINDOW_MONTHS,
  windowStartByMonths,
} from '@cabinet/schema/rules';
import { recordAction } from '../core/action-recorder';
import { UnauthenticatedError, requireCompany, requirePrincipal } from '../core/access';
import { parsePhone } from '../core/validation';
import { billing } from '../billing';
import { companyService } from '../companies';
import { DOWNLOAD_TTL_SECONDS, DOWNLOADS_PATH, downloadSecret } from '../delivery';
import { principalKey, readLink, signLink } from '../core/token';
import type { Context } from '../core/context';
import type { Language } from '../core/language';
import { BadUserInputError, DomainError, ErrorCode, NotFoundError } from '../core/errors';
import { resolvePeriod, type Period } from '../core/period';
import { numberService } from '../numbers';
import { paymentService } from '../payments';
import { usagePeriod, type UsageKind } from '../usage';
import { documentFileName, loadSubject, writeDocument, type DocumentSubject, type WrittenDocument } from './document.render';
import { actMonthsByAccount, invoiceMonthsByCompany } from './document.loader';
import { DOCUMENT_TEXTS, type DocumentTexts } from './document.texts';
import { CONTENT_TYPES, formatOf, type DocumentFormat, type DocumentSpec } from './document.spec';

/** A short-lived link to a file made on request. */
export interface DownloadLink {
  url: string;
  expiresAt: Date;
  filename: string;
}

/** A file ready to be streamed to the caller of a download link. */
export interface OpenedDownload {
  filename: string;
  contentType: string;
  /** Writes the file into `output` from one snapshot of the data, and ends it. */
  write(output: NodeJS.WritableStream): Promise<WrittenDocument>;
}

export class DownloadExpiredError extends DomainError {
  constructor() {
    super(ErrorCode.DOWNLOAD_EXPIRED, 'This download link has expired; ask for the file again');
  }
}

const monthName = (t: DocumentTexts, yyyyMm: string) => `${t.months[Number(yyyyMm.slice(5, 7)) - 1]} ${yyyyMm.slice(0, 4)}`;

/** A month no document can be issued for yet: `reason` says why (MONTH_NOT_ENDED, NO_CHARGES). */
export class MonthNotIssuableError extends DomainError {
  constructor(field: string, reason: 'MONTH_NOT_ENDED' | 'NO_CHARGES', message: string) {
    super(ErrorCode.BAD_USER_INPUT, message, { field, reason });
  }
}

function parseMonth(value: string, field: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value) || Number(value.slice(0, 4)) < FIRST_DOCUMENT_YEAR) {
    throw new BadUserInputError(field, `${field} must be a month as YYYY-MM, from ${FIRST_DOCUMENT_YEAR}`);
  }
  return value;
}

/** A reconciliation period: start ≤ end, end not in the future, start at most 12 months before today. */
export function reconciliationPeriod(from: string | null | undefined, to: string | null | undefined, now = new Date()): Period {
  const earliest = windowStartByMonths(RECONCILIATION_WINDOW_MONTHS, now);
  if (to && to < earliest) throw new BadUserInputError('to', `to must be within the last ${RECONCILIATION_WINDOW_MONTHS} months (not before ${earliest})`);
  const period = resolvePeriod(from, to, undefined, now);
  if (period.from < earliest) {
    throw new BadUserInputError('from', `from must be within the last ${RECONCILIATION_WINDOW_MONTHS} months (not before ${earliest})`);
  }
  return period;
}

async function subjectOf(ctx: Context, spec: DocumentSpec, what: string): Promise<DocumentSubject> {
  const subject = await loadSubject(ctx.db, spec);
  if (!subject) throw new NotFoundError(what);
  requireCompany(ctx, subject.company.id, what);
  return subject;
}

/** Records the request in the actions history and signs a link that only the caller can use, for 5 minutes. */
async function issue(
  ctx: Context,
  spec: DocumentSpec,
  subject: DocumentSubject,
  action: { code: string; numberId?: number; details: Record<string, string> },
): Promise<DownloadLink> {
  const principal = principalKey(requirePrincipal(ctx))!;
  await recordAction(ctx, { action: action.code, status: 'SUCCESS', companyId: subject.company.id, numberId: action.numberId, details: action.details });
  const exp = Math.floor(Date.now() / 1000) + DOWNLOAD_TTL_SECONDS;
  const token = signLink(await downloadSecret(ctx.db), { principal, companyId: subject.company.id, language: ctx.language, spec, exp });
  return { url: `${DOWNLOADS_PATH}/${token}`, expiresAt: new Date(exp * 1000), filename: documentFileName(spec, subject) };
}

/** What another domain's file behind a download link is, given the link's verified claims. */
export type DownloadOpener = (ctx: Context, claims: { companyId: number; language: Language; spec: { kind: string } }) => Promise<OpenedDownload | null>;

const openers = new Map<string, DownloadOpener>();

/**
 * Files of other domains (a fleet operation's results) behind the same signed links as documents: the domain
 * registers an opener for its spec's `kind` and issues links with `issueDownload`.
 */
export function registerDownloadKind(kind: string, opener: DownloadOpener): void {
  openers.set(kind, opener);
}

/** A signed link to a file of a registered kind, for the calling principal, valid for 5 minutes. */
export async function issueDownload(ctx: Context, companyId: number, spec: { kind: string }, filename: string): Promise<DownloadLink> {
  const principal = principalKey(requirePrincipal(ctx))!;
  const exp = Math.floor(Date.now() / 1000) + DOWNLOAD_TTL_SECONDS;
  const token = signLink(await downloadSecret(ctx.db), { principal, companyId, language: ctx.language, spec, exp });
  return { url: `${DOWNLOADS_PATH}/${token}`, expiresAt: new Date(exp * 1000), filename };
}

export interface UsageFileRequest {
  from?: string | null;
  to?: string | null;
  type?: UsageKind | null;
  format: DocumentFormat;
}

export interface CompletedWorksActRequest {
  accountId?: number | null;
  msisdn?: string | null;
  year: number;
  month: number;
}

export const documentService = {
  /** Usage details of a number as PDF or XLSX (F18), over the same 90-day window as `Number.usage`. */
  async usageFile(ctx: Context, numberId: number, request: UsageFileRequest): Promise<DownloadLink> {
    const number = await numberService.get(ctx, numberId);
    const period = usagePeriod(request.from, request.to);
    const spec: DocumentSpec = { kind: 'USAGE', format: request.format, numberId: number.dbId, ...period, type: request.type ?? null };
    const subject = await subjectOf(ctx, spec, 'Number');
    return issue(ctx, spec, subject, {
      code: request.format === 'PDF' ? 'DOWNLOAD_USAGE_PDF' : 'DOWNLOAD_USAGE_XLSX',
      numberId: number.dbId,
      details: { msisdn: number.msisdn, ...period },
    });
  },

  /** Payment history of an Advance number as XLSX (F19). */
  async paymentHistoryFile(ctx: Context, numberId: number, query: { from?: string | null; to?: string | null }): Promise<DownloadLink> {
    const number = await numberService.get(ctx, numberId);
    const period = resolvePeriod(query.from, query.to);
    const spec: DocumentSpec = { kind: 'PAYMENTS', numberId: number.dbId, ...period };
    const subject = await subjectOf(ctx, spec, 'Number');
    return issue(ctx, spec, subject, { code: 'DOWNLOAD_PAYMENT_HISTORY_XLSX', numberId: number.dbId, details: { msisdn: number.msisdn, ...period } });
  },

  /** Payment history of the company's Credit accounts as XLSX (F20). */
  async creditPaymentsFile(
    ctx: Context,
    companyId: number,
    query: { from?: string | null; to?: string | null; accountId?: number | null },
  ): Promise<DownloadLink> {
    const company = await companyService.get(ctx, companyId);
    const period = resolvePeriod(query.from, query.to);
    const accountId = query.accountId ?? null;
    if (accountId !== null) await paymentService.creditAccount(ctx, company.dbId, accountId);
    const spec: DocumentSpec = { kind: 'CREDIT_PAYMENTS', companyId: company.dbId, ...period, accountId };
    const subject = await subjectOf(ctx, spec, 'Company');
    return issue(ctx, spec, subject, { code: 'DOWNLOAD_CREDIT_PAYMENTS_XLSX', details: { ...period } });
  },

  /** Act of completed works and Appendix No. 1 of a personal account (given, or found by one of its numbers) and month (F23). */
  async completedWorksAct(ctx: Context, companyId: number, request: CompletedWorksActRequest): Promise<DownloadLink> {
    const company = await companyService.get(ctx, companyId);
    if ((request.accountId == null) === (request.msisdn == null)) {
      throw new BadUserInputError('accountId', 'Give either accountId or msisdn (a number of the account)');
    }
    if (!Number.isInteger(request.month) || request.month < 1 || request.month > 12) throw new BadUserInputError('month', 'month must be from 1 to 12');
    if (!Number.isInteger(request.year) || request.year < FIRST_DOCUMENT_YEAR || request.year > 9999) {
      throw new BadUserInputError('year', `year must be from ${FIRST_DOCUMENT_YEAR}`);
    }
    const month = `${request.year}-${String(request.month).padStart(2, '0')}`;
    let accountId = request.accountId ?? null;
    if (accountId === null) {
      const [number] = await billing.numbersByMsisdn(ctx.db, [parsePhone(request.msisdn!, 'msisdn')]);
      if (!number || number.companyId !== company.dbId) throw new NotFoundError('Number');
      accountId = number.accountId;
    }
    const spec: DocumentSpec = { kind: 'COMPLETED_WORKS_ACT', companyId: company.dbId, accountId, year: request.year, month: request.month };
    const subject = await subjectOf(ctx, spec, 'Account');
    const texts = DOCUMENT_TEXTS[ctx.language];
    if (month >= currentMonth()) throw new MonthNotIssuableError('month', 'MONTH_NOT_ENDED', texts.refusals.monthNotEnded(monthName(texts, month)));
    const issuable = await ctx.loader(actMonthsByAccount).load(accountId);
    if (!issuable.includes(month)) {
      throw new MonthNotIssuableError('month', 'NO_CHARGES', texts.refusals.noCharges(monthName(texts, month), subject.account!.accountNo));
    }
    return issue(ctx, spec, subject, { code: 'DOWNLOAD_COMPLETED_WORKS_ACT', details: { accountNo: subject.account!.accountNo, month } });
  },

  /** The ended months with charges on the account, newest first: those its act can be issued for. */
  actMonths(ctx: Context, accountId: number): Promise<string[]> {
    return ctx.loader(actMonthsByAccount).load(accountId);
  },

  /** The ended months with charges on any account of the company, newest first: those an invoice register can cover. */
  invoiceMonths(ctx: Context, companyId: number): Promise<string[]> {
    return ctx.loader(invoiceMonthsByCompany).load(companyId);
  },

  /** Invoice register over a range of at most 12 ended months (F24). */
  async invoiceRegister(ctx: Context, companyId: number, range: { fromMonth: string; toMonth: string }): Promise<DownloadLink> {
    const company = await companyService.get(ctx, companyId);
    const from = parseMonth(range.fromMonth, 'fromMonth');
    const to = parseMonth(range.toMonth, 'toMonth');
    if (to >= currentMonth()) {
      throw new MonthNotIssuableError(
        'toMonth',
        'MONTH_NOT_ENDED',
        DOCUMENT_TEXTS[ctx.language].refusals.monthNotEnded(monthName(DOCUMENT_TEXTS[ctx.language], to)),
      );
    }
    if (from > to) throw new BadUserInputError('fromMonth', 'fromMonth must not be after toMonth');
    if (monthsBetween(from, to) >= INVOICE_REGISTER_MAX_MONTHS) {
      throw new BadUserInputError('fromMonth', `The register spans at most ${INVOICE_REGISTER_MAX_MONTHS} months`);
    }
    const spec: DocumentSpec = { kind: 'INVOICE_REGISTER', companyId: company.dbId, from, to };
    const subject = await subjectOf(ctx, spec, 'Company');
    return issue(ctx, spec, subject, { code: 'DOWNLOAD_INVOICE_REGISTER', details: { from, to } });
  },

  /**
   * The file behind a download link, for the principal it was issued to while it is fresh and they still hold the
   * company's grant: UNAUTHENTICATED for no credentials, NOT_FOUND for a forged link or another principal's,
   * DOWNLOAD_EXPIRED after 5 minutes.
   */
  async open(ctx: Context, token: string, now = new Date()): Promise<OpenedDownload> {
    if (ctx.principal.kind === 'anonymous') throw new UnauthenticatedError();
    const claims = readLink<DocumentSpec>(await downloadSecret(ctx.db), token);
    if (!claims || claims.principal !== principalKey(ctx.principal)) throw new NotFoundError('Download');
    if (claims.exp * 1000 <= now.getTime()) throw new DownloadExpiredError();
    requireCompany(ctx, claims.companyId, 'Download');
    const opener = openers.get((claims.spec as { kind: string }).kind);
    if (opener) {
      const opened = await opener(ctx, claims as never);
      if (!opened) throw new NotFoundError('Download');
      return opened;
    }
    const subject = await loadSubject(ctx.db, claims.spec);
    if (!subject || subject.company.id !== claims.companyId) throw new NotFoundError('Download');
    return {
      filename: documentFileName(claims.spec, subject),
      contentType: CONTENT_TYPES[formatOf(claims.spec)],
      write: (output) => ctx.transaction(() => writeDocument(ctx.db, claims.spec, subject, claims.language, output)),
    };
  },
};
