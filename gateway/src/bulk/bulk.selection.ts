import { billing, type NumberFactsRow } from '../billing';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import { BadUserInputError, DomainError, ErrorCode } from '../core/errors';
import { fromGlobalId } from '../core/ids';
import { parsePhone } from '../core/validation';
import type { NumberState } from '../numbers';
import { normalizeSearch } from '../numbers';
import type { NumberFacts, OperationKind } from '../operations';
import { UPLOAD_LIST_HOURS, UploadListExpiredError } from './bulk.upload.service';

/** The most numbers one fleet operation takes. */
export const MAX_BULK_ITEMS = 100_000;
/** The most lines a plan lists of those refused; `invalidLineCount` counts them all. */
export const MAX_LISTED_LINES = 100;
/**
 * Numbers read, assessed and written at a time: few enough that a chunk is let go before the young generation is
 * collected twice. Chunks of 10,000 outlived it, were moved to the old generation and grew the gateway's heap by
 * what the walk had long finished with. With the young generation of `npm start` (16 MB semi-spaces), collected four
 * times as often, a start of 100,000 numbers in chunks of 2,000 peaked at 320 MB (230 MB after the idle pages); in
 * chunks of 500, at 259–265 MB.
 */
const CHUNK = 500;

/** What the caller picked: exactly one of these. */
export interface SelectionInput {
  numberIds?: string[] | null;
  matching?: { search?: string | null; state?: NumberState | null } | null;
  uploadId?: string | null;
  simReplacements?: { msisdn: string; iccid: string }[] | null;
}

/** A number of the selection with what its item adds to the kind's input (the new card of a SIM replacement). */
export interface SelectedNumber {
  number: NumberFacts;
  input: { iccid: string } | null;
}

/** A line of an upload (or a typed-in pair) that names no number of the company. */
export interface LineError {
  line: number;
  value: string;
  code: string;
}

export class SelectionInvalidError extends DomainError {
  constructor(message: string, field = 'selection') {
    super(ErrorCode.BULK_SELECTION_INVALID, message, { field });
  }
}

export class BulkTooLargeError extends DomainError {
  constructor() {
    super(ErrorCode.BULK_TOO_LARGE, `A fleet operation takes at most ${MAX_BULK_ITEMS.toLocaleString('en')} numbers; narrow the selection`);
  }
}

/** One line of an uploaded list as the upload route stored it: `error` set when it was refused on receipt. */
export interface UploadedLine {
  line: number;
  raw: string;
  msisdn: string | null;
  iccid: string | null;
  error: string | null;
}

/** An upload of the company: how many lines it holds, whether it can still be used, and its lines in line order a page at a time. */
export interface UploadedLines {
  count: number;
  usable: boolean;
  pages(): AsyncIterable<UploadedLine[]>;
}

/** Fleet operations that have not ended: they may still be shown with, or repeated on, the list they were started on. */
export const OPEN_BULK_STATUSES = `('AWAITING_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED')`;

/**
 * The company's upload; null when the upload is not the company's (or does not exist). `usable` while it is younger
 * than UPLOAD_LIST_HOURS or an open fleet operation names it. Its lines are read a page at a time.
 */
export async function uploadedLines(db: Pick<RequestDb, 'query'>, companyId: number, uploadId: number, pageSize = CHUNK): Promise<UploadedLines | null> {
  const [upload] = await db.query<{ lines: number; usable: boolean }>(
    `SELECT u.lines, u.created_at > now() - make_interval(hours => $3)
       OR EXISTS (SELECT 1 FROM cabinet.bulk_operations b WHERE b.company_id = u.company_id AND b.status IN ${OPEN_BULK_STATUSES}
         AND b.selection->>'uploadId' = u.id::text) AS usable
     FROM cabinet.bulk_uploads u WHERE u.id = $1 AND u.company_id = $2`,
    [uploadId, companyId, UPLOAD_LIST_HOURS],
  );
  if (!upload) return null;
  return {
    count: upload.lines,
    usable: upload.usable,
    async *pages() {
      for (let after = 0; ;) {
        const page = await db.query<UploadedLine>(
          `SELECT line, raw, msisdn, iccid, error FROM cabinet.bulk_upload_lines WHERE upload_id = $1 AND line > $2 ORDER BY line LIMIT $3`,
          [uploadId, after, pageSize],
        );
        if (page.length > 0) yield page;
        if (page.length < pageSize) return;
        after = page[page.length - 1].line;
      }
    },
  };
}

const facts = (row: NumberFactsRow): NumberFacts => ({
  id: row.id,
  msisdn: row.msisdn,
  companyId: row.companyId,
  tariffId: row.tariffId,
  state: row.state,
  lastImei: row.lastImei,
});

/** Numbers by MSISDN where they are the company's; another company's number is as absent as one that does not exist. */
async function companyNumbersByMsisdn(db: RequestDb, companyId: number, msisdns: readonly string[]): Promise<Map<string, NumberFactsRow>> {
  const rows = await billing.numberFactsByMsisdn(db, [...new Set(msisdns)]);
  return new Map(rows.filter((row): row is NumberFactsRow => row !== null && row.companyId === companyId).map((row) => [row.msisdn, row]));
}

/** Picked numbers by ID, all of them the company's. */
async function pickedNumbers(ctx: Context, companyId: number, ids: readonly number[]): Promise<SelectedNumber[]> {
  const rows = await billing.numberFacts(ctx.db, ids);
  if (rows.some((row) => row === null || row.companyId !== companyId)) throw new SelectionInvalidError('Some of the numbers are not found', 'numberIds');
  return rows.map((row) => ({ number: facts(row!), input: null }));
}

/** A page of the numbers matching a search and state, after the MSISDN `after`; `last` null when it is the last page. */
async function matchingPage(
  ctx: Context,
  filter: { companyId: number; search: string | null; state: NumberState | null },
  after: string | null,
): Promise<{ numbers: SelectedNumber[]; last: string | null }> {
  const rows = await billing.listNumberFacts(ctx.db, { ...filter, afterMsisdn: after, limit: CHUNK });
  return { numbers: rows.map((row) => ({ number: facts(row), input: null })), last: rows.length < CHUNK ? null : rows[rows.length - 1].msisdn };
}

/**
 * What a walk over a selection found besides its numbers: the lines of an upload or typed-in pairs that name no
 * number of the company, the first `MAX_LISTED_LINES` of them in line order, and how many there are.
 */
export interface SelectionWalk {
  invalidLines: LineError[];
  invalidLineCount: number;
}

/** The numbers of a selection as they are read, a chunk at a time, with what is refused of its lines. */
class Walker {
  readonly invalidLines: LineError[] = [];
  invalidLineCount = 0;
  /** Numbers passed on so far. */
  count = 0;
  /** A number without the new card of a SIM replacement was met: the selection is refused at the end. */
  missingCard = false;
  /** Numbers of lines taken, so that a number listed twice is taken at its first line. */
  private readonly seen = new Set<number>();

  constructor(
    private readonly kind: OperationKind,
    private readonly each: (numbers: SelectedNumber[]) => Promise<void>,
  ) {}

  refuse(line: LineError): void {
    this.invalidLineCount += 1;
    if (this.invalidLines.length < MAX_LISTED_LINES) this.invalidLines.push(line);
  }

  /** Passes a chunk of numbers on; once one lacks its new card nothing more is, the selection being refused anyway. */
  async take(numbers: SelectedNumber[]): Promise<void> {
    this.count += numbers.length;
    if (this.count > MAX_BULK_ITEMS) throw new BulkTooLargeError();
    if (this.kind === 'REPLACE_SIM' && numbers.some((selected) => selected.input === null)) this.missingCard = true;
    if (this.missingCard || numbers.length === 0) return;
    await this.each(numbers);
  }

  /**
   * A page of lines (uploaded or typed in), in line order, as numbers of the company: the first occurrence of each
   * number is kept.
   */
  async fromLines(ctx: Context, companyId: number, lines: UploadedLine[]): Promise<SelectedNumber[]> {
    const valid = lines.filter((line) => line.error === null && line.msisdn !== null);
    const found = await companyNumbersByMsisdn(
      ctx.db,
      companyId,
      valid.map((line) => line.msisdn!),
    );
    const numbers: SelectedNumber[] = [];
    for (const line of lines) {
      if (line.error !== null || line.msisdn === null) {
        this.refuse({ line: line.line, value: line.raw, code: line.error ?? 'INVALID_PHONE' });
        continue;
      }
      const row = found.get(line.msisdn);
      if (!row) this.refuse({ line: line.line, value: line.raw, code: 'FOREIGN_NUMBER' });
      else if (this.seen.has(row.id)) this.refuse({ line: line.line, value: line.raw, code: 'DUPLICATE_LINE' });
      else {
        this.seen.add(row.id);
        numbers.push({ number: facts(row), input: line.iccid === null ? null : { iccid: line.iccid } });
      }
    }
    return numbers;
  }
}

/**
 * Walks the numbers a selection names, in its order, each once: `each` is given them a chunk (at most 2,000) at a
 * time and awaited before the next chunk is read, so that a selection of 100,000 numbers is never held at once.
 * Picked IDs must all be the company's (BULK_SELECTION_INVALID otherwise, the same as for IDs that do not exist);
 * lines of an upload or typed-in pairs that name no number of the company are reported as line errors instead. More
 * than 100,000 numbers: BULK_TOO_LARGE. The refusals of the selection as a whole may come after chunks were given to
 * `each`: a caller that writes runs the walk in a transaction.
 */
export async function walkSelection(
  ctx: Context,
  companyId: number,
  kind: OperationKind,
  selection: SelectionInput,
  each: (numbers: SelectedNumber[]) => Promise<void>,
): Promise<SelectionWalk> {
  const given = (['numberIds', 'matching', 'uploadId', 'simReplacements'] as const).filter((key) => selection[key] !== null && selection[key] !== undefined);
  if (given.length !== 1) throw new SelectionInvalidError('Give exactly one of numberIds, matching, uploadId and simReplacements');
  const walker = new Walker(kind, each);
  switch (given[0]) {
    case 'numberIds': {
      const ids = [...new Set(selection.numberIds!.map((id) => fromGlobalId('Number', id, 'numberIds')))];
      if (ids.length > MAX_BULK_ITEMS) throw new BulkTooLargeError();
      for (let i = 0; i < ids.length; i += CHUNK) await walker.take(await pickedNumbers(ctx, companyId, ids.slice(i, i + CHUNK)));
      break;
    }
    case 'matching': {
      const filter = { companyId, search: normalizeSearch(selection.matching!.search), state: selection.matching!.state ?? null };
      let after: string | null = null;
      do {
        const page: { numbers: SelectedNumber[]; last: string | null } = await matchingPage(ctx, filter, after);
        await walker.take(page.numbers);
        after = page.last;
      } while (after !== null);
      break;
    }
    case 'uploadId': {
      const upload = await uploadedLines(ctx.db, companyId, fromGlobalId('BulkUpload', selection.uploadId!, 'uploadId'));
      if (upload === null) throw new SelectionInvalidError('The upload is not found', 'uploadId');
      if (!upload.usable) throw new UploadListExpiredError(ctx.language);
      if (upload.count > MAX_BULK_ITEMS) throw new BulkTooLargeError();
      for await (const page of upload.pages()) await walker.take(await walker.fromLines(ctx, companyId, page));
      break;
    }
    case 'simReplacements': {
      if (kind !== 'REPLACE_SIM') throw new SelectionInvalidError('simReplacements is for REPLACE_SIM only', 'simReplacements');
      const pairs = selection.simReplacements!;
      if (pairs.length > MAX_BULK_ITEMS) throw new BulkTooLargeError();
      for (let i = 0; i < pairs.length; i += CHUNK) {
        const lines = pairs.slice(i, i + CHUNK).map((pair, k): UploadedLine => {
          let msisdn: string | null = null;
          try {
            msisdn = parsePhone(pair.msisdn.length === 11 && pair.msisdn.startsWith('8') ? `7${pair.msisdn.slice(1)}` : pair.msisdn, 'msisdn');
          } catch (error) {
            if (!(error instanceof BadUserInputError)) throw error;
          }
          return { line: i + k + 1, raw: `${pair.msisdn};${pair.iccid}`, msisdn, iccid: pair.iccid, error: msisdn === null ? 'INVALID_PHONE' : null };
        });
        await walker.take(await walker.fromLines(ctx, companyId, lines));
      }
      break;
    }
  }
  if (walker.missingCard) {
    throw new SelectionInvalidError('A SIM replacement needs the new card of each number: give simReplacements or upload MSISDN;ICCID lines');
  }
  if (walker.count === 0 && walker.invalidLineCount === 0) throw new SelectionInvalidError('The selection is empty');
  return { invalidLines: walker.invalidLines, invalidLineCount: walker.invalidLineCount };
}
