import { DomainError, ErrorCode } from '../core/errors';
import { localize, type Language } from '../core/language';
import { PHONE } from '../core/validation';
import { parseIccid } from '../operations';
import { sheetRows } from './bulk.upload.xlsx';
import { checkZip } from './bulk.upload.zip';
import { UPLOAD_INVALID_TEXTS, UPLOAD_TEXTS, type UploadInvalidReason, type UploadLineCode } from './bulk.upload.texts';

/** An uploaded file is at most 20 MB… */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** …and at most 100,000 numbers, as a bulk operation. */
export const MAX_UPLOAD_LINES = 100_000;

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Types a browser or a client may give a CSV file (Windows names .csv after Excel), or none in particular. */
const CSV_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/plain',
  'text/comma-separated-values',
  'application/vnd.ms-excel',
  'application/octet-stream',
  '',
]);
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
/** How much of the body's start tells its kind: the zip signature, and for a text the absence of NUL bytes (an .xls, a PDF, an image has some). */
const SNIFFED_BYTES = 512;

/** A line is kept to its first cells and characters: enough to show what was wrong with it, not a way to store a file. */
const MAX_CELLS = 20;
const MAX_CELL_CHARS = 100;
const MAX_RAW_CHARS = 200;

export class UploadInvalidError extends DomainError {
  constructor(
    readonly reason: UploadInvalidReason,
    language: Language,
  ) {
    super(ErrorCode.UPLOAD_INVALID, localize(UPLOAD_INVALID_TEXTS[reason], language), { reason });
  }
}

export class BulkTooLargeError extends DomainError {
  constructor(language: Language) {
    super(ErrorCode.BULK_TOO_LARGE, localize(UPLOAD_TEXTS.tooLarge, language), { limit: MAX_UPLOAD_LINES });
  }
}

export type UploadFormat = 'CSV' | 'XLSX';

/** One non-empty line of the file: its number in the file (1 is the first line or row) and its cells, trimmed. */
interface Row {
  line: number;
  cells: string[];
  raw: string;
}

/** A data line as checked: the MSISDN (and ICCID) it names when valid, and why it is refused if it is. */
export interface UploadLine {
  line: number;
  raw: string;
  msisdn: string | null;
  iccid: string | null;
  error: UploadLineCode | null;
}

export interface ParsedUpload {
  format: UploadFormat;
  lines: UploadLine[];
  withIccid: boolean;
  invalidLineCount: number;
}

/** 8XXXXXXXXXX, +7XXXXXXXXXX and 7XXXXXXXXXX, with spaces, dashes, dots or parentheses, as the MSISDN 7XXXXXXXXXX; else null. */
export function normalizeMsisdn(value: string): string | null {
  const text = value.trim();
  let digits = text.replace(/[\s().+-]/g, '');
  if (!text.startsWith('+') && /^8\d{10}$/.test(digits)) digits = `7${digits.slice(1)}`;
  return PHONE.test(digits) ? digits : null;
}

function normalizeIccid(value: string): string | null {
  try {
    return parseIccid(value);
  } catch {
    return null;
  }
}

/**
 * The bytes of the body up to the limit. The stream simply ends at a failure (past 20 MB, or the body's own, such
 * as a client gone), and `failed` rejects then, with `failure` holding the error: whoever reads the stream learns
 * of it at once, even while waiting on something else.
 */
function guardedBody(body: AsyncIterable<Buffer | string>, language: Language) {
  let reject!: (error: unknown) => void;
  const failed = new Promise<never>((_resolve, fail) => (reject = fail));
  failed.catch(() => undefined);
  const guard = {
    failure: undefined as unknown,
    failed,
    async *bytes(): AsyncGenerator<Buffer> {
      let total = 0;
      try {
        for await (const chunk of body) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          total += bytes.length;
          if (total > MAX_UPLOAD_BYTES) throw new UploadInvalidError('TOO_LARGE', language);
          yield bytes;
        }
      } catch (error) {
        guard.failure = error;
        reject(error);
      }
    },
  };
  return guard;
}

/** The first bytes of a stream (at least `count` unless it is shorter), and the whole stream again. */
async function peek(body: AsyncIterator<Buffer>, count: number): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  const first: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < count) {
    const next = await body.next();
    if (next.done) {
      done = true;
      break;
    }
    first.push(next.value);
    length += next.value.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* first;
    if (done) return;
    for (let next = await body.next(); !next.done; next = await body.next()) yield next.value;
  }
  return { head: Buffer.concat(first), all: all() };
}

const SEPARATORS = [';', ',', '\t'];

/** The separator the first line uses most, outside quotes: `;` (Excel in many locales), `,` or tab; `,` when none. */
function separatorOf(firstLine: string): string {
  const unquoted = firstLine.replace(/"[^"]*("|$)/g, '');
  let best = ',';
  let most = 0;
  for (const separator of SEPARATORS) {
    const count = unquoted.split(separator).length - 1;
    if (count > most) [best, most] = [separator, count];
  }
  return best;
}

/**
 * The lines of a CSV text as they arrive: UTF-8 with or without a BOM, `;`, `,` or tab separated, CRLF, LF or CR
 * line ends, fields in double quotes (with `""` for a quote, and line breaks inside). Blank lines are left out but
 * counted, so that line numbers are those an editor shows.
 */
async function* csvRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<Row[]> {
  const decoder = new TextDecoder('utf-8');
  let separator: string | undefined;
  let waiting = '';
  let physical = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let quoteInQuotes = false;
  let afterCr = false;
  let started = false;
  let rows: Row[] = [];

  const endCell = () => {
    if (cells.length < MAX_CELLS) cells.push(cell.trim());
    cell = '';
  };
  const endRow = () => {
    endCell();
    if (cells.some((c) => c !== '')) {
      let last = cells.length;
      while (last > 0 && cells[last - 1] === '') last -= 1;
      rows.push({ line: recordLine, cells, raw: cells.slice(0, last).join(separator).slice(0, MAX_RAW_CHARS) });
    }
    cells = [];
    physical += 1;
    recordLine = physical;
  };
  // NUL, which no PostgreSQL text holds, is dropped.
  const append = (ch: string) => {
    if (cell.length < MAX_CELL_CHARS && ch !== '\u0000') cell += ch;
  };

  const feed = (text: string) => {
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i];
      if (afterCr) {
        afterCr = false;
        if (ch === '\n') continue;
      }
      if (inQuotes) {
        if (quoteInQuotes) {
          quoteInQuotes = false;
          if (ch === '"') {
            append('"');
            continue;
          }
          inQuotes = false;
          // falls through: the character after a closing quote is read as unquoted
        } else if (ch === '"') {
          quoteInQuotes = true;
          continue;
        } else {
          if (ch === '\n') physical += 1;
          append(ch);
          continue;
        }
      }
      if (ch === '"' && cell.trim() === '') {
        cell = '';
        inQuotes = true;
      } else if (ch === separator) {
        endCell();
      } else if (ch === '\r') {
        endRow();
        afterCr = true;
      } else if (ch === '\n') {
        endRow();
      } else {
        append(ch);
      }
    }
  };

  const take = (text: string) => {
    if (!started) {
      started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (separator === undefined) {
      waiting += text;
      const end = waiting.search(/[\r\n]/);
      if (end < 0 && waiting.length < 65_536) return;
      separator = separatorOf(end < 0 ? waiting : waiting.slice(0, end));
      text = waiting;
      waiting = '';
    }
    feed(text);
  };

  for await (const chunk of bytes) {
    take(decoder.decode(chunk, { stream: true }));
    if (rows.length > 0) {
      yield rows;
      rows = [];
    }
  }
  take(decoder.decode());
  if (separator === undefined) {
    separator = separatorOf(waiting);
    feed(waiting);
  }
  if (inQuotes || cell !== '' || cells.length > 0) endRow();
  if (rows.length > 0) yield rows;
}

/**
 * A workbook's bytes, gathered (at most 20 MB) so that its zip is checked before it is unpacked: an archive that
 * unpacks to more than 256 MB is TOO_LARGE, one that is not a plain zip NOT_A_TABLE.
 */
async function checkedWorkbook(bytes: AsyncIterable<Buffer>, guard: { failure: unknown }, language: Language): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bytes) chunks.push(chunk);
  if (guard.failure) throw guard.failure;
  const zip = Buffer.concat(chunks);
  const verdict = await checkZip(zip);
  if (verdict === 'TOO_LARGE') throw new UploadInvalidError('TOO_LARGE', language);
  if (verdict === 'INVALID') throw new UploadInvalidError('NOT_A_TABLE', language);
  return zip;
}

/** The rows of an XLSX workbook's first worksheet, cells cleaned as a CSV's are. */
async function* xlsxRows(zip: Buffer): AsyncGenerator<Row[]> {
  for await (const batch of sheetRows(zip, { columns: MAX_CELLS, chars: MAX_CELL_CHARS * 10 })) {
    yield batch.map(({ number, cells }) => {
      const cleaned = cells.map((cell) => cell.replaceAll('\u0000', '').trim().slice(0, MAX_CELL_CHARS));
      let last = cleaned.length;
      while (last > 0 && cleaned[last - 1] === '') last -= 1;
      return { line: number, cells: cleaned, raw: cleaned.slice(0, last).join(';').slice(0, MAX_RAW_CHARS) };
    });
  }
}

/** Words of a header cell naming the MSISDN column or the ICCID column (a cell is lower-cased first). */
const ICCID_HEADER = /iccid|icc|sim|сим/;
const MSISDN_HEADER = /msisdn|phone|mobile|number|номер|телефон|абонент|нөмір/;

interface Columns {
  msisdn: number;
  iccid: number | null;
}

/** Whether the first row is a header: it names no valid MSISDN, and its cells are words like "msisdn", "номер", "iccid" (or hold no digits at all). */
function isHeader(row: Row): boolean {
  if (row.cells.some((c) => normalizeMsisdn(c) !== null)) return false;
  const words = row.cells.map((c) => c.toLowerCase());
  return words.some((w) => ICCID_HEADER.test(w) || MSISDN_HEADER.test(w)) || words.every((w) => !/\d/.test(w));
}

function columnsOf(header: Row | undefined, data: Row[], language: Language): Columns {
  let msisdn: number | null = null;
  let iccid: number | null = null;
  if (header) {
    header.cells.forEach((cell, index) => {
      const word = cell.toLowerCase();
      if (ICCID_HEADER.test(word)) iccid ??= index;
      else if (MSISDN_HEADER.test(word)) msisdn ??= index;
    });
  }
  if (msisdn === null) {
    // No header names it: the column of the first valid MSISDN, and an ICCID-looking cell of that line.
    for (const row of data) {
      const found = row.cells.findIndex((c, index) => index !== iccid && normalizeMsisdn(c) !== null);
      if (found < 0) continue;
      msisdn = found;
      if (iccid === null && !header) {
        const card = row.cells.findIndex((c, index) => index !== found && /^\d{18,22}$/.test(c.replace(/[\s-]/g, '')));
        if (card >= 0) iccid = card;
      }
      break;
    }
  }
  if (msisdn === null) {
    // Not one number anywhere: a one-column list is a list of wrong numbers, anything else is not a list of numbers.
    if (data.every((row) => row.cells.length <= 1) && iccid === null) msisdn = 0;
    else throw new UploadInvalidError('NO_MSISDN_COLUMN', language);
  }
  return { msisdn, iccid };
}

/** Checks each data line: INVALID_PHONE, DUPLICATE_LINE (the MSISDN, or the SIM card, of an earlier line), INVALID_ICCID. */
function checkLines(data: Row[], columns: Columns): UploadLine[] {
  const numbers = new Set<string>();
  const cards = new Set<string>();
  return data.map(({ line, cells, raw }) => {
    const msisdn = normalizeMsisdn(cells[columns.msisdn] ?? '');
    if (msisdn === null) return { line, raw, msisdn: null, iccid: null, error: 'INVALID_PHONE' };
    if (numbers.has(msisdn)) return { line, raw, msisdn, iccid: null, error: 'DUPLICATE_LINE' };
    numbers.add(msisdn);
    if (columns.iccid === null) return { line, raw, msisdn, iccid: null, error: null };
    const iccid = normalizeIccid(cells[columns.iccid] ?? '');
    if (iccid === null) return { line, raw, msisdn, iccid: null, error: 'INVALID_ICCID' };
    if (cards.has(iccid)) return { line, raw, msisdn, iccid, error: 'DUPLICATE_LINE' };
    cards.add(iccid);
    return { line, raw, msisdn, iccid, error: null };
  });
}

/** Which kind of file the body is: an XLSX by its zip signature (whatever it is labelled), a CSV if it says it is or says nothing more precise. */
function formatOf(contentType: string | undefined, head: Buffer, language: Language): UploadFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (head.subarray(0, 4).equals(ZIP_MAGIC)) return 'XLSX';
  // Neither a spreadsheet labelled as one, nor anything binary (an .xls, a PDF, an image), is a CSV.
  if (type === XLSX_TYPE || !CSV_TYPES.has(type) || head.includes(0)) throw new UploadInvalidError('NOT_A_TABLE', language);
  return 'CSV';
}

/**
 * Reads an uploaded list — a CSV text as it streams in, or an XLSX workbook's first sheet once its zip is checked —
 * and checks every line.
 * A first line without a valid MSISDN whose cells look like column names is a header (it names the MSISDN and
 * ICCID columns); without one, the column of the first valid MSISDN is taken, with a column of ICCIDs beside it.
 * Refuses the whole file as UPLOAD_INVALID (not a table, over 20 MB or 256 MB unpacked, no MSISDN column, nothing in it) or
 * BULK_TOO_LARGE (over 100,000 data lines, found as soon as line 100,001 arrives).
 */
export async function parseUpload(body: AsyncIterable<Buffer | string>, contentType: string | undefined, language: Language): Promise<ParsedUpload> {
  const guard = guardedBody(body, language);
  const { head, all } = await peek(guard.bytes(), SNIFFED_BYTES);
  if (guard.failure) throw guard.failure;
  if (head.length === 0) throw new UploadInvalidError('EMPTY', language);
  const format = formatOf(contentType, head, language);
  const rows: Row[] = [];
  let header: Row | undefined;
  let checkedHeader = false;
  let batches: AsyncGenerator<Row[]> | undefined;
  try {
    batches = format === 'XLSX' ? xlsxRows(await checkedWorkbook(all, guard, language)) : csvRows(all);
    for (;;) {
      const next = await Promise.race([batches.next(), guard.failed]);
      if (guard.failure) throw guard.failure;
      if (next.done) break;
      for (const row of next.value) {
        if (!checkedHeader) {
          checkedHeader = true;
          if (isHeader(row)) {
            header = row;
            continue;
          }
        }
        if (rows.length === MAX_UPLOAD_LINES) throw new BulkTooLargeError(language);
        rows.push(row);
      }
    }
  } catch (error) {
    // Not awaited: after a failure of the body the reader may wait for input that never comes.
    void batches?.return(undefined).catch(() => undefined);
    if (error instanceof DomainError) throw error;
    // A zip that is not a workbook, or a workbook cut short.
    throw new UploadInvalidError('NOT_A_TABLE', language);
  }
  if (rows.length === 0) {
    if (header && !header.cells.some((c) => MSISDN_HEADER.test(c.toLowerCase()))) throw new UploadInvalidError('NO_MSISDN_COLUMN', language);
    throw new UploadInvalidError('EMPTY', language);
  }
  const columns = columnsOf(header, rows, language);
  const lines = checkLines(rows, columns);
  return { format, lines, withIccid: columns.iccid !== null, invalidLineCount: lines.filter((l) => l.error !== null).length };
}
