import { requireOperate, UnauthenticatedError } from '../core/access';
import type { Context } from '../core/context';
import { DomainError, ErrorCode } from '../core/errors';
import { fromGlobalId, toGlobalId } from '../core/ids';
import { localize, type Language } from '../core/language';
import { hasControlCharacters } from '../core/text';
import { principalKey, readLink, serverSecret, signLink } from '../core/token';
import { parseUpload, type UploadLine } from './bulk.upload.parse';
import { UPLOAD_TEXTS } from './bulk.upload.texts';

/** How long an upload URL works. */
export const UPLOAD_TTL_SECONDS = 15 * 60;
/**
 * How long an uploaded list can be used after it was received (and after that for as long as an open fleet
 * operation names it). The pruning job deletes it an hour after it stops being usable: a walk over its lines that
 * began while it was usable is never cut short.
 */
export const UPLOAD_LIST_HOURS = 24;
export const UPLOADS_PATH = '/uploads';

/** The URL as the log may show it: an upload URL's token lets its holder (with the same credentials) store a list. */
export function redactUploadUrl(url: string): string {
  return url.startsWith(`${UPLOADS_PATH}/`) ? `${UPLOADS_PATH}/[redacted]` : url;
}

/** Upload URLs are signed with a key of their own: a download link is never taken for one, nor the reverse. */
const uploadSecret = (ctx: Context) => serverSecret(ctx.db, 'bulk-upload-links');

/** What an upload URL is for; the claims bind it to its principal and company. */
interface UploadSpec {
  purpose: 'bulk-upload';
}

export const uploadGlobalId = (id: number | string) => toGlobalId('BulkUpload', id);
export const uploadDbId = (globalId: string, argument: string) => fromGlobalId('BulkUpload', globalId, argument);

export class UploadExpiredError extends DomainError {
  constructor(language: Language) {
    super(ErrorCode.UPLOAD_EXPIRED, localize(UPLOAD_TEXTS.expired, language));
  }
}

/** A selection naming an uploaded list that can no longer be used. */
export class UploadListExpiredError extends DomainError {
  constructor(language: Language) {
    super(ErrorCode.UPLOAD_EXPIRED, localize(UPLOAD_TEXTS.listExpired, language), { field: 'uploadId' });
  }
}

export interface UploadTarget {
  url: string;
  expiresAt: Date;
}

/** The answer to `POST /uploads/…`. */
export interface UploadReceipt {
  uploadId: string;
  lines: number;
  withIccid: boolean;
  invalidLineCount: number;
}

export interface UploadRequest {
  /** The body as it arrives. */
  body: AsyncIterable<Buffer | string>;
  contentType: string | undefined;
  /** The file's name from `Content-Disposition: attachment; filename="…"`, if the client gave one. */
  contentDisposition: string | undefined;
}

/** Lines are written this many to a statement (arrays unnested), so that 100,000 lines are a handful of statements. */
const LINES_PER_INSERT = 10_000;

/** The file name as stored: the one the client gave, without control characters and at most 200 characters, else a generic one. */
function fileNameOf(contentDisposition: string | undefined, format: 'CSV' | 'XLSX'): string {
  const match = /filename\*=UTF-8''([^;]+)|filename="([^"]*)"|filename=([^;]+)/i.exec(contentDisposition ?? '');
  let name = '';
  if (match) {
    try {
      name = match[1] !== undefined ? decodeURIComponent(match[1]) : (match[2] ?? match[3] ?? '');
    } catch {
      name = '';
    }
  }
  name = name.trim().slice(0, 200);
  return name && !hasControlCharacters(name) ? name : format === 'XLSX' ? 'upload.xlsx' : 'upload.csv';
}

async function storeLines(ctx: Context, uploadId: string, lines: UploadLine[]): Promise<void> {
  for (let start = 0; start < lines.length; start += LINES_PER_INSERT) {
    const batch = lines.slice(start, start + LINES_PER_INSERT);
    await ctx.db.query(
      `INSERT INTO cabinet.bulk_upload_lines (upload_id, line, raw, msisdn, iccid, error)
       SELECT $1, line, raw, msisdn, iccid, error
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS l(line, raw, msisdn, iccid, error)`,
      [uploadId, batch.map((l) => l.line), batch.map((l) => l.raw), batch.map((l) => l.msisdn), batch.map((l) => l.iccid), batch.map((l) => l.error)],
    );
  }
}

/**
 * Uploaded lists of numbers, for bulk operations (`BulkSelectionInput.uploadId`): a signed upload URL, then the
 * file POSTed to it, checked line by line and stored in `cabinet.bulk_uploads`/`bulk_upload_lines`. Whether a
 * number is the company's is left to the dry run (FOREIGN_NUMBER), which answers alike for a number of another
 * company and one that does not exist.
 */
export const bulkUploadService = {
  /** An upload URL for the company, for the caller alone (their session's administrator or their key), for 15 minutes. */
  async createTarget(ctx: Context, companyGlobalId: string, now = new Date()): Promise<UploadTarget> {
    const companyId = fromGlobalId('Company', companyGlobalId, 'companyId');
    requireOperate(ctx, companyId);
    const exp = Math.floor(now.getTime() / 1000) + UPLOAD_TTL_SECONDS;
    const spec: UploadSpec = { purpose: 'bulk-upload' };
    const token = signLink(await uploadSecret(ctx), { principal: principalKey(ctx.principal)!, companyId, language: ctx.language, spec, exp });
    return { url: `${UPLOADS_PATH}/${token}`, expiresAt: new Date(exp * 1000) };
  },

  /**
   * Receives the file POSTed to an upload URL: UNAUTHENTICATED without credentials, UPLOAD_EXPIRED for a URL that
   * is forged, another principal's or older than 15 minutes, NOT_FOUND/FORBIDDEN when the grant or the OPERATE
   * scope is gone, then the file's own refusals (UPLOAD_INVALID, BULK_TOO_LARGE). The lines are written in one
   * transaction: an upload is stored whole or not at all.
   */
  async receive(ctx: Context, token: string, request: UploadRequest, now = new Date()): Promise<UploadReceipt> {
    if (ctx.principal.kind === 'anonymous') throw new UnauthenticatedError();
    const claims = readLink<UploadSpec>(await uploadSecret(ctx), token);
    if (!claims || claims.spec?.purpose !== 'bulk-upload' || claims.principal !== principalKey(ctx.principal)) throw new UploadExpiredError(ctx.language);
    if (claims.exp * 1000 <= now.getTime()) throw new UploadExpiredError(ctx.language);
    requireOperate(ctx, claims.companyId);
    const parsed = await parseUpload(request.body, request.contentType, ctx.language);
    const principal = ctx.principal;
    const uploadId = await ctx.transaction(async () => {
      const [upload] = await ctx.db.query<{ id: string }>(
        `INSERT INTO cabinet.bulk_uploads (company_id, file_name, with_iccid, lines, administrator_id, api_key_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          claims.companyId,
          fileNameOf(request.contentDisposition, parsed.format),
          parsed.withIccid,
          parsed.lines.length,
          principal.kind === 'administrator' ? principal.administratorId : null,
          principal.kind === 'apiKey' ? principal.apiKeyId : null,
        ],
      );
      await storeLines(ctx, upload.id, parsed.lines);
      return upload.id;
    });
    return { uploadId: uploadGlobalId(uploadId), lines: parsed.lines.length, withIccid: parsed.withIccid, invalidLineCount: parsed.invalidLineCount };
  },
};
