import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { DATETIME_FORMAT, MONEY_FORMAT, sheetName, writeXlsx, type XlsxColumn } from './xlsx';

const COLUMNS: XlsxColumn[] = [
  { header: 'Дата и время', key: 'startedAt', kind: 'datetime' },
  { header: 'Номер', key: 'msisdn' },
  { header: 'Направление', key: 'destination', width: 30 },
  { header: 'Длительность, сек', key: 'seconds', kind: 'integer' },
  { header: 'Объём, КБ', key: 'kb', kind: 'integer' },
  { header: 'Сумма', key: 'amount', kind: 'money' },
];
const HEADING = ['ТОО «Қазақстан Логистика»', 'БИН 123456789012', 'Период: 01.03.2025 – 31.03.2025', 'Данные актуальны на 01.04.2025 09:00:00'];
const START = Date.parse('2025-03-01T00:00:00Z');

async function* usage(count: number): AsyncGenerator<Record<string, unknown>> {
  for (let i = 0; i < count; i += 1) {
    yield {
      startedAt: new Date(START + i * 61_000),
      msisdn: `+7 701 ${String(1000000 + (i % 50)).slice(1)}`,
      destination: i % 3 === 0 ? 'Алматы, мобильный' : 'Интернет',
      seconds: i % 3 === 0 ? (i % 600) + 1 : null,
      kb: i % 3 === 0 ? null : BigInt(i * 17),
      amount: BigInt(i * 137),
    };
  }
}

describe('writeXlsx', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cabinet-xlsx-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function readBack(path: string): Promise<ExcelJS.Worksheet> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no worksheet');
    return sheet;
  }

  it('streams 10,000 usage rows under the heading and header', async () => {
    const path = join(dir, 'usage.xlsx');
    const result = await writeXlsx(createWriteStream(path), { title: 'Детализация', columns: COLUMNS, heading: HEADING, rows: usage(10_000) });

    expect(result).toEqual({ rows: 10_000 });
    const sheet = await readBack(path);
    expect(sheet.name).toBe('Детализация');
    expect(HEADING.map((_, index) => sheet.getCell(index + 1, 1).value)).toEqual(HEADING);
    const headerRow = HEADING.length + 2;
    expect(sheet.getRow(headerRow).values).toEqual([undefined, ...COLUMNS.map((column) => column.header)]);
    expect(sheet.rowCount).toBe(headerRow + 10_000);
    expect(sheet.getCell(headerRow + 10_000, 2).value).toBe('+7 701 000049');
  });

  it('stores a count in the totals as a number, even under a text column', async () => {
    const path = join(dir, 'totals.xlsx');
    await writeXlsx(createWriteStream(path), {
      title: 'Детализация',
      columns: COLUMNS,
      rows: usage(3),
      totals: [
        { label: 'Звонков', values: { msisdn: 1234, seconds: 61n } },
        { label: 'Итого', values: { amount: 411n } },
      ],
    });
    const sheet = await readBack(path);
    const calls = sheet.getRow(sheet.rowCount - 1);
    expect(calls.getCell(1).value).toBe('Звонков');
    expect(calls.getCell(2).value).toBe(1234);
    expect(calls.getCell(2).numFmt).toBe('#,##0');
    expect(calls.getCell(4).value).toBe(61);
    expect(sheet.getRow(sheet.rowCount).getCell(6).value).toBe(4.11);
  });

  it('cuts a long sheet name after a whole word, with an ellipsis, within Excel’s 31 characters', () => {
    expect(sheetName('Payment history of credit accounts')).toBe('Payment history of credit…');
    expect(sheetName('История платежей по кредитным лицевым счетам')).toBe('История платежей по кредитным…');
    expect(sheetName('Нөмірлер тізімі бойынша есеп')).toBe('Нөмірлер тізімі бойынша есеп');
    expect(sheetName('Детализация: 01.03/31.03')).toBe('Детализация 01.03 31.03');
    for (const title of ['Payment history of credit accounts', 'a'.repeat(40), 'Отчет по списку номеров компании ТОО']) {
      expect(sheetName(title).length).toBeLessThanOrEqual(31);
    }
  });

  it('writes money as tenge numbers in the ₸ format', async () => {
    const path = join(dir, 'money.xlsx');
    await writeXlsx(createWriteStream(path), { title: 'Money', columns: COLUMNS, heading: HEADING, rows: usage(10_000) });

    const sheet = await readBack(path);
    const cell = sheet.getCell(HEADING.length + 2 + 1001, 6);
    expect(cell.value).toBe(1370);
    expect(cell.numFmt).toBe(MONEY_FORMAT);
    expect(sheet.getCell(HEADING.length + 2 + 10, 6).value).toBe(12.33);
  });

  it('keeps the exact decimal of large and negative amounts', async () => {
    const path = join(dir, 'large.xlsx');
    async function* rows(): AsyncGenerator<Record<string, unknown>> {
      yield { amount: 123456789012345n };
      yield { amount: -5n };
    }
    await writeXlsx(createWriteStream(path), { title: 'Large', columns: [{ header: 'Sum', key: 'amount', kind: 'money' }], rows: rows() });

    const sheet = await readBack(path);
    expect(sheet.getCell(2, 1).value).toBe(1234567890123.45);
    expect(sheet.getCell(3, 1).value).toBe(-0.05);
  });

  it('writes datetimes as Excel dates holding the Almaty wall clock', async () => {
    const path = join(dir, 'dates.xlsx');
    async function* rows(): AsyncGenerator<Record<string, unknown>> {
      yield { at: new Date('2025-03-04T09:05:03Z') };
      yield { at: new Date('2023-12-31T18:30:00Z') };
    }
    await writeXlsx(createWriteStream(path), { title: 'Dates', columns: [{ header: 'At', key: 'at', kind: 'datetime' }], rows: rows() });

    const sheet = await readBack(path);
    expect(sheet.getCell(2, 1).value).toEqual(new Date('2025-03-04T14:05:03Z'));
    expect(sheet.getCell(2, 1).numFmt).toBe(DATETIME_FORMAT);
    expect(sheet.getCell(3, 1).value).toEqual(new Date('2024-01-01T00:30:00Z'));
  });

  it('rejects money that is not bigint tiyn and destroys the output', async () => {
    const path = join(dir, 'bad.xlsx');
    const output = createWriteStream(path);
    async function* rows(): AsyncGenerator<Record<string, unknown>> {
      yield { amount: 12.5 };
    }

    await expect(writeXlsx(output, { title: 'Bad', columns: [{ header: 'Sum', key: 'amount', kind: 'money' }], rows: rows() })).rejects.toThrow(
      /bigint of tiyn/,
    );
    expect(output.destroyed).toBe(true);
    expect(output.writableFinished).toBe(false);
  });

  it('stops pulling rows while the output does not drain', async () => {
    const stalled = new Writable({ highWaterMark: 16 * 1024, write: () => undefined });
    let pulled = 0;
    async function* rows(): AsyncGenerator<Record<string, unknown>> {
      for await (const row of usage(200_000)) {
        pulled += 1;
        yield row;
      }
    }

    const writing = writeXlsx(stalled, { title: 'Stalled', columns: COLUMNS, rows: rows() });
    await sleep(1000);
    expect(pulled).toBeLessThan(20_000);
    stalled.destroy();
    await expect(writing).rejects.toThrow(/closed before the document was complete/);
  });
});
