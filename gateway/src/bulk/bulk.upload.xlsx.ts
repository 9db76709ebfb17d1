import { posix } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { unpack, zipParts, type ZipPart } from './bulk.upload.zip';

/**
 * The first worksheet of an XLSX workbook, read through the zip's central directory: the workbook's parts that say
 * which sheet is first and hold its shared strings are read before the sheet, whatever order the writer stored them
 * in, and the sheet is unpacked and parsed as it streams. (A single pass over the stored entries, as streaming XLSX
 * readers make, can meet a sheet before the workbook part that names it: exceljs stores that part last.)
 */

/** A row of a worksheet: its number (1 is the first) and its cells' texts from column A, '' for an empty cell. */
export interface SheetRow {
  number: number;
  cells: string[];
}

export interface SheetLimits {
  /** Columns read from A on; those past it are skipped. */
  columns: number;
  /** Characters kept of a cell's or shared string's text. */
  chars: number;
}

/** Rows are handed on in batches of at most this many, as the sheet unpacks. */
const BATCH = 1000;

type Attributes = Record<string, string>;

interface XmlHandlers {
  open(name: string, attributes: Attributes): void;
  close(name: string): void;
  text(text: string): void;
}

/** An element's or attribute's name without its namespace prefix: some writers spell `<x:row>`. */
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses a part's XML as it unpacks, pausing after each chunk so that what is complete can be handed on. Malformed XML throws. */
async function* parseXml(part: ZipPart, handlers: XmlHandlers): AsyncGenerator<void> {
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const attributes: Attributes = {};
    for (const [name, value] of Object.entries(tag.attributes as Attributes)) attributes[localName(name)] = value;
    handlers.open(localName(tag.name), attributes);
  });
  parser.on('closetag', (tag) => handlers.close(localName(tag.name)));
  parser.on('text', (text) => handlers.text(text));
  parser.on('cdata', (text) => handlers.text(text));
  const decoder = new StringDecoder('utf8');
  for await (const chunk of unpack(part)) {
    parser.write(decoder.write(chunk as Buffer));
    yield;
  }
  parser.write(decoder.end());
  parser.close();
}

async function readXml(part: ZipPart, handlers: XmlHandlers): Promise<void> {
  for await (const _ of parseXml(part, handlers));
}

/** A part's relationships: id → target part's name and type. */
async function relationships(parts: Map<string, ZipPart>, of: string): Promise<Map<string, { target: string; type: string }>> {
  const name = posix.join(posix.dirname(of), '_rels', `${posix.basename(of)}.rels`);
  const found = new Map<string, { target: string; type: string }>();
  const part = parts.get(name);
  if (!part) return found;
  await readXml(part, {
    open(element, attributes) {
      if (element !== 'Relationship' || !attributes.Id || !attributes.Target || attributes.TargetMode === 'External') return;
      const target = attributes.Target.startsWith('/') ? attributes.Target.slice(1) : posix.join(posix.dirname(of), attributes.Target);
      found.set(attributes.Id, { target: posix.normalize(target), type: attributes.Type ?? '' });
    },
    close() {},
    text() {},
  });
  return found;
}

/** Collects the text of `<t>` elements, leaving out phonetic runs (`<rPh>`), cut to `chars`. */
function textCollector(chars: number) {
  let text = '';
  let inText = false;
  let inPhonetic = false;
  return {
    open(element: string) {
      if (element === 't') inText = true;
      else if (element === 'rPh') inPhonetic = true;
    },
    close(element: string) {
      if (element === 't') inText = false;
      else if (element === 'rPh') inPhonetic = false;
    },
    text(piece: string) {
      if (inText && !inPhonetic && text.length < chars) text += piece.slice(0, chars - text.length);
    },
    take(): string {
      const taken = text;
      text = '';
      return taken;
    },
  };
}

async function sharedStrings(part: ZipPart | undefined, chars: number): Promise<string[]> {
  const strings: string[] = [];
  if (!part) return strings;
  const collector = textCollector(chars);
  await readXml(part, {
    open(element) {
      if (element === 'si') collector.take();
      collector.open(element);
    },
    close(element) {
      collector.close(element);
      if (element === 'si') strings.push(collector.take());
    },
    text: collector.text,
  });
  return strings;
}

/** Column letters of a cell reference (`AB12`) as a 0-based index, or null without any. */
function columnOf(reference: string | undefined): number | null {
  const letters = /^[A-Za-z]+/.exec(reference ?? '')?.[0];
  if (!letters) return null;
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64);
  return index - 1;
}

/** A number cell's text: its digits as written, or the number without an exponent when it is a whole one. */
function numberText(value: string): string {
  if (value === '' || /^-?\d+$/.test(value)) return value;
  const number = Number(value);
  if (Number.isNaN(number)) return value;
  return Number.isInteger(number) && Math.abs(number) < 1e21 ? number.toFixed(0) : String(number);
}

/** The part of the workbook's first sheet (the first tab not hidden, else the first), or null for a zip that is not a workbook. */
async function firstSheet(parts: Map<string, ZipPart>): Promise<{ sheet: ZipPart; shared: ZipPart | undefined } | null> {
  const root = await relationships(parts, '');
  const workbookName = [...root.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  const workbook = parts.get(workbookName);
  if (!workbook) return null;
  const sheets: { id: string; hidden: boolean }[] = [];
  await readXml(workbook, {
    open(element, attributes) {
      if (element === 'sheet' && attributes.id) sheets.push({ id: attributes.id, hidden: attributes.state === 'hidden' || attributes.state === 'veryHidden' });
    },
    close() {},
    text() {},
  });
  const rels = await relationships(parts, workbookName);
  const chosen = sheets.find((s) => !s.hidden) ?? sheets[0];
  const sheet = chosen && parts.get(rels.get(chosen.id)?.target ?? '');
  if (!sheet) return null;
  const sharedName = [...rels.values()].find((r) => r.type.endsWith('/sharedStrings'))?.target ?? posix.join(posix.dirname(workbookName), 'sharedStrings.xml');
  return { sheet, shared: parts.get(sharedName) };
}

/**
 * The rows of the first worksheet that have any text, in batches as the sheet unpacks. Shared strings, inline strings,
 * numbers, booleans and formulas' last results are read as text. Throws on a zip that is not a workbook.
 */
export async function* sheetRows(zip: Buffer, limits: SheetLimits): AsyncGenerator<SheetRow[]> {
  const parts = zipParts(zip);
  const found = await firstSheet(parts);
  if (!found) throw new Error('not a workbook: no worksheet');
  const strings = await sharedStrings(found.shared, limits.chars);
  let batch: SheetRow[] = [];
  let row: SheetRow | null = null;
  let lastRow = 0;
  let column = -1;
  let type = 'n';
  let value = '';
  let inValue = false;
  let inInline = false;
  const inline = textCollector(limits.chars);
  const parsing = parseXml(found.sheet, {
    open(element, attributes) {
      if (element === 'row') {
        const number = Number(attributes.r);
        lastRow = Number.isInteger(number) && number > lastRow ? number : lastRow + 1;
        row = { number: lastRow, cells: [] };
        column = -1;
      } else if (element === 'c') {
        column = columnOf(attributes.r) ?? column + 1;
        type = attributes.t ?? 'n';
        value = '';
        inline.take();
      } else if (element === 'v') inValue = true;
      else if (element === 'is') inInline = true;
      else if (inInline) inline.open(element);
    },
    close(element) {
      if (element === 'v') inValue = false;
      else if (element === 'is') inInline = false;
      else if (inInline) inline.close(element);
      else if (element === 'c' && row && column < limits.columns) {
        const text =
          type === 's'
            ? (strings[Number(value)] ?? '')
            : type === 'inlineStr'
              ? inline.take()
              : type === 'b'
                ? value === '1'
                  ? 'true'
                  : 'false'
                : type === 'n'
                  ? numberText(value.trim())
                  : value;
        while (row.cells.length < column) row.cells.push('');
        row.cells[column] = text;
      } else if (element === 'row' && row) {
        if (row.cells.some((cell) => cell !== '')) batch.push(row);
        row = null;
      }
    },
    text(text) {
      if (inValue && value.length < limits.chars) value += text.slice(0, limits.chars - value.length);
      else if (inInline) inline.text(text);
    },
  });
  for await (const _ of parsing) {
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
