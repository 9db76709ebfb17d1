import { existsSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import type { Language } from '../core/language';
import { formatDateTime, formatInteger, formatMoney, type ColumnKind } from './format';
import { abandon, drained, sinkFor } from './sink';

/** DejaVu Sans from Debian's fonts-dejavu-core: it has the Cyrillic and Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І). */
export const FONT_PATHS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
} as const;

export interface PdfColumn {
  header: string;
  key: string;
  /** In points; the columns are scaled down together when they exceed the printable width (523 pt). */
  width: number;
  /** Default: right for money and integer, left otherwise. */
  align?: 'left' | 'right';
  /** How values are read: money bigint tiyn, datetime Date (shown in Asia/Almaty), integer number or bigint. Default text. */
  kind?: ColumnKind;
}

export interface PdfSection {
  /** Printed bold at the top of the section's first page. */
  title: string;
  /** Lines under the title: company, BIN, period, "data valid as of …". */
  heading: string[];
  columns: PdfColumn[];
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
  /**
   * How many rows `rows` yields, when they are streamed (an array counts itself). When every section's count is
   * known, the pages are counted before the first is written and numbered "Page N of M".
   */
  rowCount?: number;
  /** Printed under the table; values are already formatted. */
  totals?: { label: string; value: string }[];
  /** Paragraphs after the totals: statements, signature lines. */
  notes?: string[];
}

export interface PdfTable extends PdfSection {
  language: Language;
}

export interface PdfDocument {
  /** The document's title in its metadata and page footers. */
  title: string;
  /** Each section starts on a new page. */
  sections: PdfSection[];
  language: Language;
}

const TEXTS: Record<Language, { page: (n: number, of: number | undefined) => string; empty: string }> = {
  en: { page: (n, of) => (of ? `Page ${n} of ${of}` : `Page ${n}`), empty: 'No records' },
  ru: { page: (n, of) => (of ? `Страница ${n} из ${of}` : `Страница ${n}`), empty: 'Нет записей' },
  kk: { page: (n, of) => (of ? `${n}-бет, барлығы ${of}` : `${n}-бет`), empty: 'Жазбалар жоқ' },
};

const PAGE = { width: 595.28, height: 841.89, margin: 36 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const FOOTER_Y = PAGE.height - PAGE.margin + 8;
const BODY_BOTTOM = PAGE.height - PAGE.margin;
const SIZES = { title: 14, heading: 9, cell: 8, footer: 7 };
const PAD = 3;
const COLORS = { text: '#000000', muted: '#555555', headerFill: '#e3e3e3', stripe: '#f4f4f4', rule: '#999999' };

/** Throws when the PDF fonts are missing, so a server can refuse to start without them. */
export function assertPdfFonts(): void {
  for (const path of Object.values(FONT_PATHS)) {
    if (!existsSync(path)) {
      throw new Error(`PDF font ${path} is missing: install the Debian package fonts-dejavu-core (apt-get install -y fonts-dejavu-core)`);
    }
  }
}

/** Streams one table as an A4 PDF into `output`; see `writePdf`. */
export function writePdfTable(output: NodeJS.WritableStream, table: PdfTable): Promise<{ rows: number; pages: number }> {
  const { language, ...section } = table;
  return writePdf(output, { title: table.title, sections: [section], language });
}

/**
 * Writes an A4 document of tables as PDF into `output` and ends it. Every page repeats its table's header row.
 * Pages are passed on as they are laid out and rows are read as they come, so a slow reader holds back the rows,
 * not memory. Rows are one line high, so when each section's row count is known the pages are counted first by the
 * same layout, and numbered "Page N of M". On failure `output` is destroyed and the promise rejects.
 */
export async function writePdf(output: NodeJS.WritableStream, document: PdfDocument): Promise<{ rows: number; pages: number }> {
  const sink = sinkFor(output);
  const done = finished(sink);
  done.catch(() => undefined);
  try {
    assertPdfFonts();
    const doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      autoFirstPage: false,
      lang: document.language,
      displayTitle: true,
      info: { Title: document.title, Creator: 'Cabinet', Producer: 'Cabinet' },
    });
    // Registered names only: pdfkit caches a font under the name it was first asked for, and would parse the
    // file again for every other name of the same font.
    doc.registerFont('regular', FONT_PATHS.regular);
    doc.registerFont('bold', FONT_PATHS.bold);
    doc.pipe(sink);

    const counts = document.sections.map((section) => section.rowCount ?? (Array.isArray(section.rows) ? section.rows.length : undefined));
    const known = counts.every((count): count is number => count !== undefined);
    const total = known ? (await layOut(doc, document, undefined, counts)).pages : undefined;
    const painter = new Painter(doc, document, sink, total);
    const result = await layOut(doc, document, painter, undefined);
    doc.end();
    await done;
    return result;
  } catch (error) {
    abandon(sink, output);
    throw error;
  }
}

interface Metrics {
  lineHeight: number;
  rowHeight: number;
  headerHeight: number;
}

function metricsOf(doc: PDFKit.PDFDocument): Metrics {
  doc.font('regular').fontSize(SIZES.cell);
  const lineHeight = doc.currentLineHeight(true);
  return { lineHeight, rowHeight: lineHeight + 2 * PAD, headerHeight: 2 * lineHeight + 2 * PAD };
}

function titleHeight(doc: PDFKit.PDFDocument, section: PdfSection): number {
  let height = doc.font('bold').fontSize(SIZES.title).heightOfString(section.title, { width: CONTENT_WIDTH }) + 4;
  doc.font('regular').fontSize(SIZES.heading);
  for (const line of section.heading) height += doc.heightOfString(line, { width: CONTENT_WIDTH }) + 1;
  return height + 8;
}

function noteHeight(doc: PDFKit.PDFDocument, note: string): number {
  return doc.font('regular').fontSize(SIZES.heading).heightOfString(note, { width: CONTENT_WIDTH });
}

/**
 * The one layout of a document. Without a painter it only counts: sections' rows are `counts`, nothing is drawn.
 * With one, it draws what it places and reads the sections' rows.
 */
async function layOut(
  doc: PDFKit.PDFDocument,
  document: PdfDocument,
  painter: Painter | undefined,
  counts: number[] | undefined,
): Promise<{ rows: number; pages: number }> {
  const m = metricsOf(doc);
  const totalsHeight = (section: PdfSection) => 8 + (section.totals ?? []).length * (m.rowHeight + 2);
  let pages = 0;
  let y = 0;
  let rows = 0;
  for (const [index, section] of document.sections.entries()) {
    const columns = layoutColumns(section.columns);
    let sectionPage = 0;
    const startPage = (tableHeader: boolean): void => {
      pages += 1;
      sectionPage += 1;
      y = PAGE.margin;
      painter?.page(pages);
      if (sectionPage === 1) {
        painter?.title(section, y);
        y += titleHeight(doc, section);
      }
      if (!tableHeader) return;
      painter?.tableHeader(columns, y, m);
      y += m.headerHeight;
    };
    const ensureRoom = async (height: number, tableHeader = true): Promise<void> => {
      if (y + height <= BODY_BOTTOM) return;
      startPage(tableHeader);
      await painter?.pageDone();
    };

    startPage(true);
    let sectionRows = 0;
    const place = async (record: Record<string, unknown> | undefined): Promise<void> => {
      await ensureRoom(m.rowHeight);
      if (record) painter?.row(columns, record, sectionRows, y, m);
      y += m.rowHeight;
      sectionRows += 1;
    };
    if (painter) for await (const record of section.rows) await place(record);
    else for (let i = 0; i < counts![index]; i += 1) await place(undefined);
    if (sectionRows === 0) {
      painter?.empty(y);
      y += m.rowHeight;
    }
    rows += sectionRows;

    if ((section.totals ?? []).length > 0) {
      await ensureRoom(totalsHeight(section), false);
      painter?.totals(section.totals!, y + 8, m);
      y += totalsHeight(section);
    }
    for (const note of section.notes ?? []) {
      const height = noteHeight(doc, note);
      await ensureRoom(height + 12, false);
      y += 12;
      painter?.note(note, y);
      y += height;
    }
  }
  return { rows, pages };
}

/** Draws what `layOut` places, on pages numbered against `total` when it is known. */
class Painter {
  private readonly texts: (typeof TEXTS)[Language];

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly document: PdfDocument,
    private readonly sink: Writable,
    private readonly total: number | undefined,
  ) {
    this.texts = TEXTS[document.language];
  }

  page(number: number): void {
    const { doc } = this;
    forgetLayouts(doc, number - 1);
    doc.addPage();
    const lineHeight = metricsOf(doc).lineHeight;
    doc.font('regular').fontSize(SIZES.footer).fillColor(COLORS.muted);
    doc.text(this.document.title, PAGE.margin, FOOTER_Y, { width: CONTENT_WIDTH * 0.7, height: lineHeight, ellipsis: true, lineBreak: false });
    doc.text(this.texts.page(number, this.total), PAGE.margin, FOOTER_Y, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
    doc.fillColor(COLORS.text);
  }

  /** pdfkit passes its output on in later ticks, which a loop over rows already at hand would never let run. */
  async pageDone(): Promise<void> {
    await nextTurn();
    await drained(this.sink);
  }

  title(section: PdfSection, top: number): void {
    const { doc } = this;
    let y = top;
    doc.font('bold').fontSize(SIZES.title).fillColor(COLORS.text);
    doc.text(section.title, PAGE.margin, y, { width: CONTENT_WIDTH });
    y += doc.heightOfString(section.title, { width: CONTENT_WIDTH }) + 4;
    doc.font('regular').fontSize(SIZES.heading);
    for (const line of section.heading) {
      doc.text(line, PAGE.margin, y, { width: CONTENT_WIDTH });
      y += doc.heightOfString(line, { width: CONTENT_WIDTH }) + 1;
    }
  }

  tableHeader(columns: PlacedColumn[], y: number, m: Metrics): void {
    const { doc } = this;
    doc.rect(PAGE.margin, y, CONTENT_WIDTH, m.headerHeight).fill(COLORS.headerFill);
    doc.font('bold').fontSize(SIZES.cell).fillColor(COLORS.text);
    for (const column of columns) {
      const longestWord = column.header.split(/\s+/).reduce((longest, word) => (word.length > longest.length ? word : longest), '');
      doc.fontSize(fittingSize(doc, longestWord, column.width - 2 * PAD, 0.7));
      doc.text(column.header, column.x + PAD, y + PAD, { width: column.width - 2 * PAD, height: 2 * m.lineHeight, ellipsis: true, align: column.align });
    }
    const bottom = y + m.headerHeight;
    doc
      .moveTo(PAGE.margin, bottom)
      .lineTo(PAGE.margin + CONTENT_WIDTH, bottom)
      .lineWidth(0.5)
      .stroke(COLORS.rule);
    doc.font('regular');
  }

  row(columns: PlacedColumn[], record: Record<string, unknown>, index: number, y: number, m: Metrics): void {
    const { doc } = this;
    if (index % 2 === 1) doc.rect(PAGE.margin, y, CONTENT_WIDTH, m.rowHeight).fill(COLORS.stripe);
    doc.fillColor(COLORS.text);
    for (const column of columns) {
      const text = cellText(column, record[column.key], this.document.language);
      if (!text) continue;
      printCell(doc, text, column, y + PAD, m.lineHeight);
    }
  }

  empty(y: number): void {
    this.doc.fillColor(COLORS.muted).text(this.texts.empty, PAGE.margin + PAD, y + PAD, { width: CONTENT_WIDTH - 2 * PAD });
  }

  totals(totals: { label: string; value: string }[], top: number, m: Metrics): void {
    const { doc } = this;
    let y = top;
    doc.fontSize(SIZES.cell + 1).fillColor(COLORS.text);
    for (const total of totals) {
      doc.font('bold').text(total.label, PAGE.margin, y, { width: CONTENT_WIDTH * 0.7 - PAD, align: 'right', height: m.lineHeight * 2, ellipsis: true });
      doc.text(total.value, PAGE.margin + CONTENT_WIDTH * 0.7, y, { width: CONTENT_WIDTH * 0.3 - PAD, align: 'right', lineBreak: false });
      y += m.rowHeight + 2;
    }
  }

  note(note: string, y: number): void {
    this.doc.font('regular').fontSize(SIZES.heading).fillColor(COLORS.text);
    this.doc.text(note, PAGE.margin, y, { width: CONTENT_WIDTH });
  }
}

/**
 * pdfkit caches the glyph layout of every distinct word for the life of the document; dates, numbers
 * and amounts are mostly distinct, so kept forever the cache grows with every row. Laying a word out again
 * costs far more than keeping it (DejaVu's OpenType tables are large), so it is dropped only every so many pages.
 */
const LAYOUT_CACHE_PAGES = 40;

function forgetLayouts(doc: PDFKit.PDFDocument, pages: number): void {
  if (pages % LAYOUT_CACHE_PAGES !== 0) return;
  const fonts = (doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })._fontFamilies ?? {};
  for (const font of Object.values(fonts)) {
    if (font.layoutCache) font.layoutCache = Object.create(null) as object;
  }
}

/**
 * One line of a cell, shrunk to fit down to 80 % of the size, else cut with an ellipsis. Text that fits is placed
 * without pdfkit's line wrapper, which costs more than the rest of a row together.
 */
function printCell(doc: PDFKit.PDFDocument, text: string, column: PlacedColumn, y: number, lineHeight: number): void {
  const width = column.width - 2 * PAD;
  doc.fontSize(SIZES.cell);
  const natural = doc.widthOfString(text) * 1.02;
  if (natural * 0.8 > width) {
    doc.text(text, column.x + PAD, y, { width, height: lineHeight, ellipsis: true, align: column.align });
    return;
  }
  const scale = Math.min(1, width / natural);
  doc.fontSize(SIZES.cell * scale);
  const x = column.align === 'right' ? column.x + PAD + width - natural * scale : column.x + PAD;
  doc.text(text, x, y, { lineBreak: false });
}

/** The cell size, or down to `least` of it when that makes `text` fit: dates and amounts in narrow columns. */
function fittingSize(doc: PDFKit.PDFDocument, text: string, width: number, least: number): number {
  doc.fontSize(SIZES.cell);
  const needed = doc.widthOfString(text) * 1.02;
  return needed <= width || needed * least > width ? SIZES.cell : (SIZES.cell * width) / needed;
}

interface PlacedColumn extends PdfColumn {
  x: number;
  align: 'left' | 'right';
}

function layoutColumns(columns: PdfColumn[]): PlacedColumn[] {
  const total = columns.reduce((sum, column) => sum + column.width, 0);
  const scale = total > CONTENT_WIDTH ? CONTENT_WIDTH / total : 1;
  let x = PAGE.margin;
  return columns.map((column) => {
    const width = column.width * scale;
    const placed = { ...column, x, width, align: column.align ?? (column.kind === 'money' || column.kind === 'integer' ? 'right' : 'left') };
    x += width;
    return placed;
  });
}

function cellText(column: PdfColumn, value: unknown, language: Language): string {
  if (value === null || value === undefined) return '';
  switch (column.kind ?? 'text') {
    case 'money':
      if (typeof value !== 'bigint') throw new TypeError(`Column "${column.key}": money must be a bigint of tiyn, got ${typeof value}`);
      return formatMoney(value, language);
    case 'datetime':
      if (!(value instanceof Date)) throw new TypeError(`Column "${column.key}": datetime must be a Date, got ${typeof value}`);
      return formatDateTime(value, language);
    case 'integer':
      if (typeof value !== 'bigint' && typeof value !== 'number')
        throw new TypeError(`Column "${column.key}": integer must be a number or bigint, got ${typeof value}`);
      return formatInteger(value, language);
    case 'text':
      return String(value);
  }
}
