import { billing, type NumberRow } from '../billing';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import { BadUserInputError, DomainError, ErrorCode } from '../core/errors';
import { fromGlobalId } from '../core/ids';
import { parsePhone } from '../core/validation';
import type { NumberState } from '../numbers';
import { normalizeSearch } from '../numbers';
import type { NumberFacts, OperationKind } from '../operations';

/** The most numbers one fleet operation takes. */
export const MAX_BULK_ITEMS = 100_000;
const CHUNK = 10_000;

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

export interface Selection {
  numbers: SelectedNumber[];
  invalidLines: LineError[];
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

/** The lines of the company's upload in line order; null when the upload is not the company's (or does not exist). */
export async function uploadedLines(db: Pick<RequestDb, 'query'>, companyId: number, uploadId: number): Promise<UploadedLine[] | null> {
  const [upload] = await db.query<{ id: string }>(`SELECT id::text FROM cabinet.bulk_uploads WHERE id = $1 AND company_id = $2`, [uploadId, companyId]);
  if (!upload) return null;
  return db.query<UploadedLine>(`SELECT line, raw, msisdn, iccid, error FROM cabinet.bulk_upload_lines WHERE upload_id = $1 ORDER BY line`, [uploadId]);
}

const facts = (row: NumberRow): NumberFacts => ({
  id: row.id,
  msisdn: row.msisdn,
  companyId: row.companyId,
  tariffId: row.tariffId,
  state: row.state,
  lastImei: row.lastImei,
});

async function inChunks<K, V>(keys: readonly K[], read: (chunk: readonly K[]) => Promise<V[]>): Promise<V[]> {
  const out: V[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await read(keys.slice(i, i + CHUNK))));
  return out;
}

/** Numbers by MSISDN where they are the company's; another company's number is as absent as one that does not exist. */
async function companyNumbersByMsisdn(db: RequestDb, companyId: number, msisdns: readonly string[]): Promise<Map<string, NumberRow>> {
  const unique = [...new Set(msisdns)];
  const rows = await inChunks(unique, (chunk) => billing.numbersByMsisdn(db, chunk));
  return new Map(rows.filter((row): row is NumberRow => row !== null && row.companyId === companyId).map((row) => [row.msisdn, row]));
}

/** The list of lines (uploaded or typed in) as numbers of the company, first occurrence of each number kept. */
async function fromLines(ctx: Context, companyId: number, lines: UploadedLine[], invalid: LineError[]): Promise<SelectedNumber[]> {
  const valid = lines.filter((line) => line.error === null && line.msisdn !== null);
  for (const line of lines)
    if (line.error !== null || line.msisdn === null) invalid.push({ line: line.line, value: line.raw, code: line.error ?? 'INVALID_PHONE' });
  const found = await companyNumbersByMsisdn(
    ctx.db,
    companyId,
    valid.map((line) => line.msisdn!),
  );
  const seen = new Set<string>();
  const numbers: SelectedNumber[] = [];
  for (const line of valid) {
    const row = found.get(line.msisdn!);
    if (!row) invalid.push({ line: line.line, value: line.raw, code: 'FOREIGN_NUMBER' });
    else if (seen.has(row.msisdn)) invalid.push({ line: line.line, value: line.raw, code: 'DUPLICATE_LINE' });
    else {
      seen.add(row.msisdn);
      numbers.push({ number: facts(row), input: line.iccid === null ? null : { iccid: line.iccid } });
    }
  }
  invalid.sort((a, b) => a.line - b.line);
  return numbers;
}

/**
 * The numbers a selection names, in its order, each once. Picked IDs must all be the company's (BULK_SELECTION_INVALID
 * otherwise, the same as for IDs that do not exist); lines of an upload or typed-in pairs that name no number of the
 * company are reported as line errors instead. More than 100,000 numbers: BULK_TOO_LARGE.
 */
export async function resolveSelection(ctx: Context, companyId: number, kind: OperationKind, selection: SelectionInput): Promise<Selection> {
  const given = (['numberIds', 'matching', 'uploadId', 'simReplacements'] as const).filter((key) => selection[key] !== null && selection[key] !== undefined);
  if (given.length !== 1) throw new SelectionInvalidError('Give exactly one of numberIds, matching, uploadId and simReplacements');
  const invalidLines: LineError[] = [];
  let numbers: SelectedNumber[];
  switch (given[0]) {
    case 'numberIds': {
      const ids = [...new Set(selection.numberIds!.map((id) => fromGlobalId('Number', id, 'numberIds')))];
      if (ids.length > MAX_BULK_ITEMS) throw new BulkTooLargeError();
      const rows = await inChunks(ids, (chunk) => billing.numbers(ctx.db, chunk));
      if (rows.some((row) => row === null || row.companyId !== companyId)) throw new SelectionInvalidError('Some of the numbers are not found', 'numberIds');
      numbers = rows.map((row) => ({ number: facts(row!), input: null }));
      break;
    }
    case 'matching': {
      const search = normalizeSearch(selection.matching!.search);
      const state = selection.matching!.state ?? null;
      numbers = [];
      let afterMsisdn: string | null = null;
      for (;;) {
        const page = await billing.listNumbers(ctx.db, { companyId, search, state, afterMsisdn, limit: CHUNK });
        numbers.push(...page.map((row) => ({ number: facts(row), input: null })));
        if (numbers.length > MAX_BULK_ITEMS) throw new BulkTooLargeError();
        if (page.length < CHUNK) break;
        afterMsisdn = page[page.length - 1].msisdn;
      }
      break;
    }
    case 'uploadId': {
      const lines = await uploadedLines(ctx.db, companyId, fromGlobalId('BulkUpload', selection.uploadId!, 'uploadId'));
      if (lines === null) throw new SelectionInvalidError('The upload is not found', 'uploadId');
      if (lines.length > MAX_BULK_ITEMS) throw new BulkTooLargeError();
      numbers = await fromLines(ctx, companyId, lines, invalidLines);
      break;
    }
    case 'simReplacements': {
      if (kind !== 'REPLACE_SIM') throw new SelectionInvalidError('simReplacements is for REPLACE_SIM only', 'simReplacements');
      const pairs = selection.simReplacements!;
      if (pairs.length > MAX_BULK_ITEMS) throw new BulkTooLargeError();
      const lines = pairs.map((pair, index): UploadedLine => {
        let msisdn: string | null = null;
        try {
          msisdn = parsePhone(pair.msisdn.length === 11 && pair.msisdn.startsWith('8') ? `7${pair.msisdn.slice(1)}` : pair.msisdn, 'msisdn');
        } catch (error) {
          if (!(error instanceof BadUserInputError)) throw error;
        }
        return { line: index + 1, raw: `${pair.msisdn};${pair.iccid}`, msisdn, iccid: pair.iccid, error: msisdn === null ? 'INVALID_PHONE' : null };
      });
      numbers = await fromLines(ctx, companyId, lines, invalidLines);
      break;
    }
  }
  if (kind === 'REPLACE_SIM' && numbers.some((selected) => selected.input === null)) {
    throw new SelectionInvalidError('A SIM replacement needs the new card of each number: give simReplacements or upload MSISDN;ICCID lines');
  }
  if (numbers.length === 0 && invalidLines.length === 0) throw new SelectionInvalidError('The selection is empty');
  return { numbers, invalidLines };
}
