import { createWriteStream } from 'node:fs';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePdf from 'pdf-parse/lib/pdf-parse.js';
import { readPdf } from '../test/pdf';
import { formatMoney } from './format';
import { FONT_PATHS, writePdf, writePdfTable, type PdfColumn } from './pdf';

const COLUMNS: PdfColumn[] = [
  { header: 'Дата и время', key: 'startedAt', width: 95, kind: 'datetime' },
  { header: 'Номер', key: 'msisdn', width: 85 },
  { header: 'Направление', key: 'destination', width: 160 },
  { header: 'Длительность, сек', key: 'seconds', width: 70, kind: 'integer' },
  { header: 'Сумма', key: 'amount', width: 90, kind: 'money' },
];
const COUNT = 300;

async function* calls(count: number): AsyncGenerator<Record<string, unknown>> {
  for (let i = 0; i < count; i += 1) {
    yield {
      startedAt: new Date(Date.parse('2025-03-01T03:00:00Z') + i * 3_600_000),
      msisdn: `+7 701 555 ${String(i).padStart(4, '0')}`,
      destination: i % 2 === 0 ? 'Қазақстан, Өскемен' : 'Россия, Москва',
      seconds: 60 + i,
      amount: BigInt(1000 + i),
    };
  }
}

const plain = (text: string): string => text.replace(/\s+/g, ' ');

describe('writePdfTable', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-pdf-'));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  async function write(path: string, rowCount: number | null = COUNT): Promise<{ rows: number; pages: number }> {
    const total = Array.from({ length: COUNT }, (_, i) => BigInt(1000 + i)).reduce((sum, amount) => sum + amount, 0n);
    return writePdfTable(createWriteStream(path), {
      title: 'Детализация звонков',
      heading: ['ТОО «Қазақстан Логистика», БИН 123456789012', 'Период: 01.03.2025 – 13.03.2025'],
      columns: COLUMNS,
      rows: calls(COUNT),
      rowCount: rowCount ?? undefined,
      totals: [
        { label: 'Записей', value: String(COUNT) },
        { label: 'Итого', value: formatMoney(total, 'ru') },
      ],
      language: 'ru',
    });
  }

  it('prints Cyrillic and Kazakh text that can be extracted again', async () => {
    const path = join(dir, 'calls.pdf');
    await write(path);

    const text = plain((await parsePdf(await readFile(path))).text);
    expect(text).toContain('Детализация звонков');
    expect(text).toContain('ТОО «Қазақстан Логистика»');
    expect(text).toContain('Қазақстан, Өскемен');
    expect(text).toContain('+7 701 555 0299');
    expect(text).toContain('01.03.2025 08:00:00');
  });

  it('prints the totals and the number of rows', async () => {
    const path = join(dir, 'totals.pdf');
    const result = await write(path);

    expect(result.rows).toBe(COUNT);
    const text = plain((await parsePdf(await readFile(path))).text);
    expect(text).toContain(`Записей${COUNT}`);
    expect(text).toContain(`Итого${plain(formatMoney(344850n, 'ru'))}`);
    expect(text).toContain(plain(formatMoney(1299n, 'ru')));
  });

  it('breaks pages, repeating the header row and numbering each page', async () => {
    const path = join(dir, 'pages.pdf');
    const result = await write(path);

    const parsed = await parsePdf(await readFile(path));
    expect(result.pages).toBeGreaterThan(1);
    expect(parsed.numpages).toBe(result.pages);
    expect(parsed.text.match(/Направление/g)).toHaveLength(result.pages);
    for (let page = 1; page <= result.pages; page += 1) expect(plain(parsed.text)).toContain(`Страница ${page} из ${result.pages}`);
  });

  it('numbers pages without a total when the rows are streamed uncounted', async () => {
    const path = join(dir, 'uncounted.pdf');
    const result = await write(path, null);

    const text = plain((await parsePdf(await readFile(path))).text);
    expect(result.pages).toBeGreaterThan(1);
    expect(text).toContain(`Страница ${result.pages}`);
    expect(text).not.toContain(' из ');
  });

  it('counts the pages of sections with totals and long notes as they are then laid out', async () => {
    const path = join(dir, 'sections.pdf');
    const note = 'Акт составлен в двух экземплярах, имеющих одинаковую юридическую силу. '.repeat(12);
    // 60 rows leave the totals and the notes to fall across a page break; the second section starts a page of its own.
    const lines = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ startedAt: new Date(0), msisdn: String(i), destination: 'x', seconds: i, amount: 1n }));
    const result = await writePdf(createWriteStream(path), {
      title: 'Акт',
      language: 'ru',
      sections: [
        {
          title: 'Акт выполненных работ',
          heading: ['Компания', 'Период'],
          columns: COLUMNS,
          rows: lines(60),
          totals: [{ label: 'Итого', value: '1' }],
          notes: [note, note, note],
        },
        { title: 'Приложение № 1', heading: ['Номер'], columns: COLUMNS, rows: calls(130), rowCount: 130, notes: [note] },
      ],
    });

    const parsed = readPdf(await readFile(path));
    expect(result.pages).toBeGreaterThanOrEqual(4);
    expect(parsed.numpages).toBe(result.pages);
    const text = plain(parsed.text);
    for (let page = 1; page <= result.pages; page += 1) expect(text).toContain(`Страница ${page} из ${result.pages}`);
    expect(text).not.toContain(`из ${result.pages + 1}`);
  });

  it('asks for fonts-dejavu-core when the font is missing', async () => {
    jest.spyOn(fs, 'existsSync').mockImplementation((path) => path !== FONT_PATHS.regular);
    const output = createWriteStream(join(dir, 'none.pdf'));

    await expect(writePdfTable(output, { title: 'T', heading: [], columns: COLUMNS, rows: calls(1), language: 'en' })).rejects.toThrow(/fonts-dejavu-core/);
    expect(output.destroyed).toBe(true);
  });

  it('stops pulling rows while the output does not drain', async () => {
    const stalled = new Writable({ highWaterMark: 16 * 1024, write: () => undefined });
    let pulled = 0;
    async function* rows(): AsyncGenerator<Record<string, unknown>> {
      for await (const row of calls(100_000)) {
        pulled += 1;
        yield row;
      }
    }

    const writing = writePdfTable(stalled, { title: 'Stalled', heading: [], columns: COLUMNS, rows: rows(), language: 'en' });
    await sleep(1000);
    expect(pulled).toBeLessThan(2_000);
    stalled.destroy();
    await expect(writing).rejects.toThrow(/closed before the document was complete/);
  });
});
