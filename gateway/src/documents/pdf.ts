import { existsSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import type { Language } from '../graphql/context';
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

const TEXTS: Record<Language, { page: (n: number) => string; empty: string }> = {
  en: { page: (n) => `Page ${n}`, empty: 'No records' },
  ru: { page: (n) => `Страница ${n}`, empty: 'Нет записей' },
  kk: { page: (n) => `${n}-бет`, empty: 'Жазбалар жоқ' },
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
 * Writes an A4 document of tables as PDF into `output` and ends it. Every page repeats its table's header row
 * and is numbered "Page N of M": the pages are held until the last is laid out (a few MB for the 10,000 rows of
 * a long usage period), then their footers are written and everything is passed on. Rows are read as they come.
 * On failure `output` is destroyed and the promise rejects.
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

    const texts = TEXTS[document.language];
    doc.font('regular').fontSize(SIZES.cell);
    const lineHeight = doc.currentLineHeight(true);
    const rowHeight = lineHeight + 2 * PAD;
    const headerHeight = 2 * lineHeight + 2 * PAD;

    let pages = 0;
    let y = 0;
    let rows = 0;
    const printFooter = (page: number): void => {
      doc.font('regular').fontSize(SIZES.footer).fillColor(COLORS.muted);
      doc.text(document.title, PAGE.margin, FOOTER_Y, { width: CONTENT_WIDTH * 0.7, height: lineHeight, ellipsis: true, lineBreak: false });
      doc.text(texts.page(page), PAGE.margin, FOOTER_Y, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
      doc.fillColor(COLORS.text);
    };

    for (const section of document.sections) {
      const columns = layoutColumns(section.columns);
      let sectionPage = 0;
      const startPage = (tableHeader = true): void => {
        forgetLayouts(doc, pages);
        doc.addPage();
        pages += 1;
        printFooter(pages);
        sectionPage += 1;
        y = PAGE.margin;
        if (sectionPage === 1) {
          doc.font('bold').fontSize(SIZES.title).fillColor(COLORS.text);
          doc.text(section.title, PAGE.margin, y, { width: CONTENT_WIDTH });
          y = doc.y + 4;
          doc.font('regular').fontSize(SIZES.heading);
          for (const line of section.heading) {
            doc.text(line, PAGE.margin, y, { width: CONTENT_WIDTH });
            y = doc.y + 1;
          }
          y += 8;
        }
        if (!tableHeader) return;
        doc.rect(PAGE.margin, y, CONTENT_WIDTH, headerHeight).fill(COLORS.headerFill);
        doc.font('bold').fontSize(SIZES.cell).fillColor(COLORS.text);
        for (const column of columns) {
          const longestWord = column.header.split(/\s+/).reduce((longest, word) => (word.length > longest.length ? word : longest), '');
          doc.fontSize(fittingSize(doc, longestWord, column.width - 2 * PAD, 0.7));
          doc.text(column.header, column.x + PAD, y + PAD, { width: column.width - 2 * PAD, height: 2 * lineHeight, ellipsis: true, align: column.align });
        }
        y += headerHeight;
        doc.moveTo(PAGE.margin, y).lineTo(PAGE.margin + CONTENT_WIDTH, y).lineWidth(0.5).stroke(COLORS.rule);
        doc.font('regular');
      };
      const ensureRoom = async (height: number, tableHeader = true): Promise<void> => {
        if (y + height <= BODY_BOTTOM) return;
        startPage(tableHeader);
        // pdfkit passes its output on in later ticks, which a loop over rows already at hand would never let run.
        await nextTurn();
        await drained(sink);
      };

      startPage();
      let sectionRows = 0;
      for await (const record of section.rows) {
        await ensureRoom(rowHeight);
        if (sectionRows % 2 === 1) doc.rect(PAGE.margin, y, CONTENT_WIDTH, rowHeight).fill(COLORS.stripe);
        doc.fillColor(COLORS.text);
        for (const column of columns) {
          const text = cellText(column, record[column.key], document.language);
          if (!text) continue;
          printCell(doc, text, column, y + PAD, lineHeight);
        }
        y += rowHeight;
        sectionRows += 1;
      }
      if (sectionRows === 0) {
        doc.fillColor(COLORS.muted).text(texts.empty, PAGE.margin + PAD, y + PAD, { width: CONTENT_WIDTH - 2 * PAD });
        y += rowHeight;
      }
      rows += sectionRows;

      const totals = section.totals ?? [];
      if (totals.length > 0) {
        await ensureRoom(8 + totals.length * (rowHeight + 2), false);
        y += 8;
        doc.fontSize(SIZES.cell + 1).fillColor(COLORS.text);
        for (const total of totals) {
          doc.font('bold').text(total.label, PAGE.margin, y, { width: CONTENT_WIDTH * 0.7 - PAD, align: 'right', height: lineHeight * 2, ellipsis: true });
          doc.text(total.value, PAGE.margin + CONTENT_WIDTH * 0.7, y, { width: CONTENT_WIDTH * 0.3 - PAD, align: 'right', lineBreak: false });
          y += rowHeight + 2;
        }
      }
      for (const note of section.notes ?? []) {
        doc.font('regular').fontSize(SIZES.heading);
        await ensureRoom(doc.heightOfString(note, { width: CONTENT_WIDTH }) + 12, false);
        y += 12;
        doc.font('regular').fontSize(SIZES.heading).fillColor(COLORS.text);
        doc.text(note, PAGE.margin, y, { width: CONTENT_WIDTH });
        y = doc.y;
      }
    }

    doc.end();
    await done;
    return { rows, pages };
  } catch (error) {
    abandon(sink, output);
    throw error;
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
      if (typeof value !== 'bigint' && typeof value !== 'number') throw new TypeError(`Column "${column.key}": integer must be a number or bigint, got ${typeof value}`);
      return formatInteger(value, language);
    case 'text':
      return String(value);
  }
}
