import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { almatyWallClock, decimalString, type ColumnKind } from './format';
import { abandon, drained, sinkFor } from './sink';

export interface XlsxColumn {
  header: string;
  key: string;
  /** In characters. Default: 14 for integers, 18 for money, 20 otherwise. */
  width?: number;
  /**
   * How values are read and shown. Default `text`.
   * - `money`: bigint tiyn, written as a number of tenge formatted `#,##0.00 "₸"`;
   * - `datetime`: a Date, written as an Excel date holding the Asia/Almaty wall-clock time;
   * - `integer`: a safe-integer number or bigint;
   * - `text`: a string (numbers and bigints are stringified).
   * `null` and `undefined` leave the cell empty.
   */
  kind?: ColumnKind;
}

export interface XlsxSheet {
  /** Worksheet name; characters Excel forbids are replaced and it is cut to 31 characters. */
  title: string;
  columns: XlsxColumn[];
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
  /** Lines above the table: company, BIN, period, "data valid as of …". */
  heading?: string[];
  /** Bold rows after an empty one under the table: the label in the first column, `values` under their columns' keys. */
  totals?: { label: string; values: Record<string, unknown> }[];
}

export const MONEY_FORMAT = '#,##0.00 "₸"';
export const DATETIME_FORMAT = 'dd.mm.yyyy hh:mm:ss';
const INTEGER_FORMAT = '#,##0';
const FORMATS: Record<ColumnKind, string | undefined> = {
  text: undefined,
  money: MONEY_FORMAT,
  datetime: DATETIME_FORMAT,
  integer: INTEGER_FORMAT,
};
const DEFAULT_WIDTHS: Record<ColumnKind, number> = { text: 20, money: 18, datetime: 20, integer: 14 };

const ROWS_PER_TURN = 200;
const MAX_CELL_TEXT = 32767;
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Streams one worksheet as an XLSX file into `output` and ends it; the rows are never all held in
 * memory. On failure `output` is destroyed and the promise rejects.
 */
export async function writeXlsx(output: NodeJS.WritableStream, sheet: XlsxSheet): Promise<{ rows: number }> {
  const sink = sinkFor(output);
  const done = finished(sink);
  done.catch(() => undefined);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
    workbook.creator = 'Cabinet';
    const heading = sheet.heading ?? [];
    const headerRow = heading.length > 0 ? heading.length + 2 : 1;
    const worksheet = workbook.addWorksheet(sheetName(sheet.title), {
      views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow }],
    });
    worksheet.columns = sheet.columns.map((column) => ({
      key: column.key,
      width: column.width ?? DEFAULT_WIDTHS[column.kind ?? 'text'],
    }));

    heading.forEach((line, index) => {
      const row = worksheet.addRow([cleanText(line)]);
      if (index === 0) row.font = { bold: true, size: 12 };
      row.commit();
    });
    if (heading.length > 0) worksheet.addRow([]).commit();

    const header = worksheet.addRow(sheet.columns.map((column) => cleanText(column.header)));
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
      cell.border = { bottom: { style: 'thin' } };
    });
    header.commit();
    worksheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: sheet.columns.length } };

    let rows = 0;
    // exceljs looks a cell's style up by rendering it unless it has seen that very object before: one shared
    // object per column makes the look-up a WeakMap hit instead of an XML rendering per cell.
    const styles = sheet.columns.map((column) => {
      const format = FORMATS[column.kind ?? 'text'];
      return format ? { numFmt: format } : {};
    });
    for await (const record of sheet.rows) {
      const row = worksheet.addRow(sheet.columns.map((column) => cellValue(column, record[column.key])));
      styles.forEach((style, index) => {
        row.getCell(index + 1).style = style;
      });
      row.commit();
      rows += 1;
      if (rows % ROWS_PER_TURN === 0) await caughtUp(worksheet, sink);
    }

    const totals = sheet.totals ?? [];
    if (totals.length > 0) worksheet.addRow([]).commit();
    for (const total of totals) {
      const row = worksheet.addRow([cleanText(total.label), ...sheet.columns.slice(1).map((column) => totalValue(column, total.values[column.key]))]);
      row.font = { bold: true };
      sheet.columns.forEach((column, index) => {
        const value = total.values[column.key];
        const format = isCount(column, value) ? INTEGER_FORMAT : FORMATS[column.kind ?? 'text'];
        if (format && index > 0) row.getCell(index + 1).numFmt = format;
      });
      row.commit();
    }

    worksheet.commit();
    await workbook.commit();
    await done;
    return { rows };
  } catch (error) {
    abandon(sink, output);
    throw error;
  }
}

/** A count given as a number under a text column (e.g. the number of calls under "Type") is still a number. */
const isCount = (column: XlsxColumn, value: unknown) => (column.kind ?? 'text') === 'text' && (typeof value === 'number' || typeof value === 'bigint');

function totalValue(column: XlsxColumn, value: unknown): ExcelJS.CellValue {
  return isCount(column, value) ? cellValue({ ...column, kind: 'integer' }, value) : cellValue(column, value);
}

function cellValue(column: XlsxColumn, value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (column.kind ?? 'text') {
    case 'money':
      if (typeof value !== 'bigint') throw new TypeError(`Column "${column.key}": money must be a bigint of tiyn, got ${typeof value}`);
      return Number(decimalString(value, 2));
    case 'datetime': {
      if (!(value instanceof Date)) throw new TypeError(`Column "${column.key}": datetime must be a Date, got ${typeof value}`);
      return excelLocalTime(value);
    }
    case 'integer':
      if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
        return Number(value);
      }
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      throw new TypeError(`Column "${column.key}": integer must be a safe integer, got ${String(value)}`);
    case 'text':
      if (typeof value === 'string') return cleanText(value);
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
      throw new TypeError(`Column "${column.key}": text must be a string, got ${typeof value}`);
  }
}

type EntryQueue = NodeJS.EventEmitter & { writableNeedDrain?: boolean; _writableState?: { needDrain?: boolean } };

/**
 * exceljs 4.4.0 writes committed rows into the zip entry's queue without waiting for compression, which
 * runs on the thread pool; unchecked, the queue holds most of the sheet's XML. So every few rows the
 * writer waits for that queue (found through exceljs internals; without them it only yields) and then
 * for `output`.
 */
async function caughtUp(worksheet: ExcelJS.Worksheet, sink: Writable): Promise<void> {
  await nextTurn();
  const queue = (worksheet as unknown as { stream?: { pipes?: EntryQueue[] } }).stream?.pipes?.[0];
  if (queue && (queue.writableNeedDrain ?? queue._writableState?.needDrain)) {
    const settled = new AbortController();
    try {
      await Promise.race([once(queue, 'drain', { signal: settled.signal }), once(sink, 'close', { signal: settled.signal })]);
    } finally {
      settled.abort();
    }
  }
  await drained(sink);
}

/**
 * Excel dates carry no time zone and exceljs reads a Date's UTC fields, so the cell gets a Date whose
 * UTC fields are the Almaty wall clock: the sheet shows, sorts and filters by Almaty time.
 */
function excelLocalTime(date: Date): Date {
  const t = almatyWallClock(date);
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, date.getUTCMilliseconds()));
}

function cleanText(text: string): string {
  return text.replace(XML_FORBIDDEN, '').slice(0, MAX_CELL_TEXT);
}

const SHEET_NAME_MAX = 31;

/** A worksheet name Excel accepts; a longer title is cut after its last whole word that fits, with "…". */
export function sheetName(title: string): string {
  const name = title
    .replace(/[[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^'+|'+$/g, '')
    .trim();
  if (name.length <= SHEET_NAME_MAX) return name || 'Sheet1';
  const room = name.slice(0, SHEET_NAME_MAX - 1);
  const cut = room.lastIndexOf(' ');
  return `${(cut > SHEET_NAME_MAX / 2 ? room.slice(0, cut) : room).replace(/[\s,.;–-]+$/, '')}…`;
}
