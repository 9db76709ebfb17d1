import { PassThrough } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { isLuhnValid } from '../billing/luhn';
import { ErrorCode } from '../core/errors';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_LINES, normalizeMsisdn, parseUpload, XLSX_TYPE, type ParsedUpload } from './bulk.upload.parse';
import { checkZip } from './bulk.upload.zip';

/** A valid ICCID: 19 digits and their Luhn check digit. */
function iccid(prefix19: string): string {
  for (let d = 0; d <= 9; d += 1) if (isLuhnValid(`${prefix19}${d}`)) return `${prefix19}${d}`;
  throw new Error('unreachable');
}
const ICCID_1 = iccid('8977000000100000010');
const ICCID_2 = iccid('8977000000100000020');
/** ICCID_1 with a wrong check digit. */
const BAD_ICCID = `${ICCID_1.slice(0, 19)}${(Number(ICCID_1[19]) + 1) % 10}`;

/** The text as a body arriving in small chunks, so that quotes, CRLF and UTF-8 characters fall across them. */
async function* chunked(body: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
}

const csv = (text: string, type = 'text/csv') => parseUpload(chunked(Buffer.from(text)), type, 'en');

async function xlsx(rows: unknown[][], sheetRows?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Numbers');
  for (const row of rows) sheet.addRow(row);
  sheetRows?.(sheet);
  workbook.addWorksheet('Other').addRow(['77010000099']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const errors = (parsed: ParsedUpload) => parsed.lines.filter((l) => l.error).map((l) => [l.line, l.error]);
const numbers = (parsed: ParsedUpload) => parsed.lines.map((l) => l.msisdn);

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason?: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: string; extra: { reason?: unknown }; message: string };
    return { code: e.code, reason: e.extra.reason, message: e.message };
  }
  throw new Error('the upload was accepted');
}

describe('normalizeMsisdn', () => {
  it('takes the 8…, +7… and 7… forms with spaces, dashes and parentheses as 7XXXXXXXXXX', () => {
    for (const form of ['87012112170', '+77012112170', '77012112170', '+7 (701) 211-21-70', '8 701 211 21 70', ' 8(701)2112170 ', '7\u00a0701\u00a02112170']) {
      expect(normalizeMsisdn(form)).toBe('77012112170');
    }
  });

  it('refuses anything else', () => {
    for (const form of ['7012112170', '+87012112170', '97012112170', '770121121700', '7701211217a', '', 'msisdn', '+7 701 211 21 7']) {
      expect(normalizeMsisdn(form)).toBeNull();
    }
  });
});

describe('parseUpload on CSV', () => {
  it('reads a column of numbers with no header, in every accepted form, numbering lines as an editor does', async () => {
    const parsed = await csv('87012112170\r\n+7 701 211 21 71\r\n\r\n7-701-211-21-72\r\n');
    expect(parsed).toMatchObject({ format: 'CSV', withIccid: false, invalidLineCount: 0 });
    expect(parsed.lines.map((l) => [l.line, l.msisdn])).toEqual([
      [1, '77012112170'],
      [2, '77012112171'],
      [4, '77012112172'],
    ]);
  });

  it('skips a BOM, recognises a header row and finds the MSISDN column by its name, with semicolons', async () => {
    const parsed = await csv('\uFEFFФИО;Номер телефона;Отдел\nИванов;8 701 211 21 70;Склад\nПетров;+77012112171;Офис\n');
    expect(parsed.withIccid).toBe(false);
    expect(parsed.lines.map((l) => [l.line, l.msisdn, l.raw])).toEqual([
      [2, '77012112170', 'Иванов;8 701 211 21 70;Склад'],
      [3, '77012112171', 'Петров;+77012112171;Офис'],
    ]);
  });

  it('reads quoted fields: separators, doubled quotes and line breaks inside them, the line numbers still right', async () => {
    const parsed = await csv('name,msisdn\n"Smith, John",77012112170\n"A ""quoted""\nname",  "8 701 211 21 71"  \nx,87012112172');
    expect(parsed.lines.map((l) => [l.line, l.msisdn])).toEqual([
      [2, '77012112170'],
      [3, '77012112171'],
      [5, '77012112172'],
    ]);
    expect(parsed.lines[1].raw).toBe('A "quoted"\nname,8 701 211 21 71');
  });

  it('refuses bad lines with their line numbers: INVALID_PHONE, DUPLICATE_LINE for a number again in any form', async () => {
    const parsed = await csv('msisdn\n77012112170\n12345\n87012112170\n\n+7 701 211 21 71\nabc\n77012112171\n');
    expect(errors(parsed)).toEqual([
      [3, 'INVALID_PHONE'],
      [4, 'DUPLICATE_LINE'],
      [7, 'INVALID_PHONE'],
      [8, 'DUPLICATE_LINE'],
    ]);
    expect(parsed.invalidLineCount).toBe(4);
    expect(numbers(parsed)).toEqual(['77012112170', null, '77012112170', '77012112171', null, '77012112171']);
  });

  it('reads a column of ICCIDs by its header and checks each card: INVALID_ICCID, a card twice DUPLICATE_LINE', async () => {
    const parsed = await csv(`ICCID;MSISDN\n${ICCID_1};87012112170\n${BAD_ICCID};87012112171\n;87012112172\n${ICCID_1};87012112173\n${ICCID_2};87012112174\n`);
    expect(parsed.withIccid).toBe(true);
    expect(parsed.lines.map((l) => [l.line, l.msisdn, l.iccid, l.error])).toEqual([
      [2, '77012112170', ICCID_1, null],
      [3, '77012112171', null, 'INVALID_ICCID'],
      [4, '77012112172', null, 'INVALID_ICCID'],
      [5, '77012112173', ICCID_1, 'DUPLICATE_LINE'],
      [6, '77012112174', ICCID_2, null],
    ]);
  });

  it('finds the MSISDN and ICCID columns of a file without a header from its first valid line', async () => {
    const parsed = await csv(`bad,123\n  ${ICCID_1} , +77012112170 \n${ICCID_2},87012112171\n`);
    expect(parsed.withIccid).toBe(true);
    expect(parsed.lines.map((l) => [l.line, l.msisdn, l.iccid, l.error])).toEqual([
      [1, null, null, 'INVALID_PHONE'],
      [2, '77012112170', ICCID_1, null],
      [3, '77012112171', ICCID_2, null],
    ]);
  });

  it('takes a CSV sent as octet-stream, Excel’s .csv type or with no type at all', async () => {
    for (const type of ['application/octet-stream', 'application/vnd.ms-excel', undefined, 'text/csv; charset=utf-8']) {
      expect((await csv('77012112170\n', type as string)).lines).toHaveLength(1);
    }
  });

  it('refuses what is not a list of numbers: UPLOAD_INVALID with its reason, in the caller’s language', async () => {
    expect(await refusal(csv('77012112170\n', 'image/png'))).toMatchObject({ code: ErrorCode.UPLOAD_INVALID, reason: 'NOT_A_TABLE' });
    expect(await refusal(csv('77012112170\n', XLSX_TYPE))).toMatchObject({ reason: 'NOT_A_TABLE' });
    expect(await refusal(csv('\u0000\u0001binary'))).toMatchObject({ reason: 'NOT_A_TABLE' });
    expect(await refusal(csv(''))).toMatchObject({ reason: 'EMPTY' });
    expect(await refusal(csv('\n\r\n  \n'))).toMatchObject({ reason: 'EMPTY' });
    expect(await refusal(csv('msisdn;iccid\n'))).toMatchObject({ reason: 'EMPTY' });
    expect(await refusal(csv('iccid\n'))).toMatchObject({ reason: 'NO_MSISDN_COLUMN' });
    expect(await refusal(csv('name,city\nIvan,Almaty\nPetr,Astana\n'))).toMatchObject({ reason: 'NO_MSISDN_COLUMN' });
    const ru = await refusal(parseUpload(chunked(Buffer.from('name,city\nIvan,Almaty\n')), 'text/csv', 'ru'));
    expect(ru.message).toMatch(/столбца с номерами/);
  });

  it('still finds the numbers of a CSV saved in Windows-1251, its header being unreadable words', async () => {
    // "Номер;ФИО" in Windows-1251, as Excel saves a CSV in a Russian locale.
    const header = Buffer.from([0xcd, 0xee, 0xec, 0xe5, 0xf0, 0x3b, 0xd4, 0xc8, 0xce, 0x0d, 0x0a]);
    const parsed = await parseUpload(chunked(Buffer.concat([header, Buffer.from('87012112170;Ivanov\r\n+77012112171;Petrov\r\n')])), 'text/csv', 'en');
    expect(parsed.lines.map((l) => [l.line, l.msisdn, l.error])).toEqual([
      [2, '77012112170', null],
      [3, '77012112171', null],
    ]);
  });

  it('refuses a binary file whatever its first chunk, and drops a NUL byte past the file’s start', async () => {
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
    expect(await refusal(parseUpload(chunked(xls, 4), 'application/vnd.ms-excel', 'en'))).toMatchObject({ reason: 'NOT_A_TABLE' });
    const parsed = await csv(`77012112170\n${'x'.repeat(600)}\n7701\u00002112171\n`);
    expect(parsed.lines.map((l) => [l.line, l.msisdn, l.raw.length])).toEqual([
      [1, '77012112170', 11],
      [2, null, 100],
      [3, '77012112171', 11],
    ]);
  });

  it('takes a one-column list of wrong numbers as such, not as a file without numbers', async () => {
    const parsed = await csv('123\n456\n');
    expect(errors(parsed)).toEqual([
      [1, 'INVALID_PHONE'],
      [2, 'INVALID_PHONE'],
    ]);
  });

  it('refuses a list of more than 100,000 numbers as BULK_TOO_LARGE, and takes exactly 100,000 with a header', async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `7700${String(i).padStart(7, '0')}`).join('\n');
    const full = await csv(`msisdn\n${lines(MAX_UPLOAD_LINES)}\n`);
    expect(full.lines).toHaveLength(MAX_UPLOAD_LINES);
    expect(full.invalidLineCount).toBe(0);
    expect(await refusal(parseUpload(chunked(Buffer.from(lines(MAX_UPLOAD_LINES + 1)), 65_536), 'text/csv', 'en'))).toMatchObject({
      code: ErrorCode.BULK_TOO_LARGE,
    });
  });

  it('refuses a body over 20 MB as UPLOAD_INVALID TOO_LARGE as soon as it is past the limit', async () => {
    const body = new PassThrough();
    const parsing = refusal(parseUpload(body, 'text/csv', 'en'));
    const line = Buffer.from('77012112170;' + 'x'.repeat(1000) + '\n');
    let sent = 0;
    while (sent <= MAX_UPLOAD_BYTES && body.write(line)) sent += line.length;
    for (; sent <= MAX_UPLOAD_BYTES; sent += line.length) body.write(line);
    // The stream is never ended: the refusal does not wait for the rest.
    expect(await parsing).toMatchObject({ code: ErrorCode.UPLOAD_INVALID, reason: 'TOO_LARGE' });
    body.destroy();
  });
});

describe('parseUpload on XLSX', () => {
  it('reads the first worksheet of a workbook written by Excel’s rules: header, numbers as text or numbers, ICCIDs', async () => {
    const file = await xlsx([
      ['Сотрудник', 'MSISDN', 'ICCID'],
      ['Иванов', '8 701 211 21 70', ICCID_1],
      [],
      ['Петров', 77012112171, ICCID_2],
      ['Сидоров', 87012112170, ICCID_2],
      ['Ким', 'нет', ''],
    ]);
    const parsed = await parseUpload(chunked(file, 4096), XLSX_TYPE, 'en');
    expect(parsed).toMatchObject({ format: 'XLSX', withIccid: true, invalidLineCount: 2 });
    expect(parsed.lines.map((l) => [l.line, l.msisdn, l.iccid, l.error])).toEqual([
      [2, '77012112170', ICCID_1, null],
      [4, '77012112171', ICCID_2, null],
      [5, '77012112170', null, 'DUPLICATE_LINE'],
      [6, null, null, 'INVALID_PHONE'],
    ]);
    expect(parsed.lines[0].raw).toBe(`Иванов;8 701 211 21 70;${ICCID_1}`);
  });

  it('knows an XLSX by its zip signature whatever its Content-Type, and reads rich text and formula results', async () => {
    const file = await xlsx([[{ richText: [{ text: '+7 701 ' }, { text: '211 21 70' }] }], [{ formula: '77012112170+1', result: 77012112171 }]]);
    const parsed = await parseUpload(chunked(file, 100_000), 'application/octet-stream', 'en');
    expect(numbers(parsed)).toEqual(['77012112170', '77012112171']);
  });

  it('reads the same rows of a two-sheet workbook on every read, however its parts are stored', async () => {
    const file = await xlsx([['MSISDN'], ['77012112170'], [77012112171]]);
    for (let read = 0; read < 40; read += 1) {
      expect(numbers(await parseUpload(chunked(file, 65_536), XLSX_TYPE, 'en'))).toEqual(['77012112170', '77012112171']);
    }
  });

  it('reads the first tab of a workbook from its parts in any stored order: shared and inline strings, gaps, prefixes', async () => {
    const NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const parts: [string, Buffer][] = [
      [
        'xl/worksheets/sheet2.xml',
        Buffer.from(
          '<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
            '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>ICCID</x:t></x:is></x:c></x:row>' +
            `<x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="B3" s="1"/><x:c r="C3" t="str"><x:v>${ICCID_1}</x:v></x:c></x:row>` +
            '<x:row><x:c t="b"><x:v>1</x:v></x:c></x:row>' +
            '<x:row r="6"><x:c r="A6"><x:f>A3+1</x:f><x:v>8.7012112171E10</x:v></x:c></x:row>' +
            '</x:sheetData></x:worksheet>',
        ),
      ],
      [
        'xl/worksheets/sheet1.xml',
        Buffer.from('<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>77010000099</t></is></c></row></sheetData></worksheet>'),
      ],
      [
        'xl/sharedStrings.xml',
        Buffer.from('<sst><si><t>Номер</t><rPh><t>ノ</t></rPh></si><si><r><t xml:space="preserve">+7 701 </t></r><r><t>211 21 70</t></r></si></sst>'),
      ],
      [
        'xl/_rels/workbook.xml.rels',
        Buffer.from(
          `<Relationships><Relationship Id="rId1" Type="${NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
            `<Relationship Id="rId2" Type="${NS}/worksheet" Target="/xl/worksheets/sheet2.xml"/>` +
            `<Relationship Id="rId3" Type="${NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
        ),
      ],
      [
        'xl/workbook.xml',
        Buffer.from(
          `<workbook xmlns:r="${NS}"><sheets><sheet name="Old" sheetId="1" state="hidden" r:id="rId1"/><sheet name="Numbers" sheetId="2" r:id="rId2"/></sheets></workbook>`,
        ),
      ],
      ['_rels/.rels', Buffer.from(`<Relationships><Relationship Id="rId1" Type="${NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`)],
    ];
    for (const order of [parts, [...parts].reverse()]) {
      const parsed = await parseUpload(chunked(await zipOf(order), 50), XLSX_TYPE, 'en');
      expect(parsed.lines.map((l) => [l.line, l.msisdn, l.iccid, l.raw])).toEqual([
        [3, '77012112170', ICCID_1, `+7 701 211 21 70;;${ICCID_1}`],
        [4, null, null, 'true'],
        [6, '77012112171', null, '87012112171'],
      ]);
      expect(parsed.withIccid).toBe(true);
    }
    // A sheet that is not well-formed XML is not a table.
    const broken = parts.map(([name, data]): [string, Buffer] => [name, name.endsWith('sheet2.xml') ? data.subarray(0, 200) : data]);
    expect(await refusal(parseUpload(chunked(await zipOf(broken)), XLSX_TYPE, 'en'))).toMatchObject({ reason: 'NOT_A_TABLE' });
  });

  it('refuses a zip that is not a workbook, or one cut short, as NOT_A_TABLE', async () => {
    const file = await xlsx([['77012112170']]);
    expect(await refusal(parseUpload(chunked(file.subarray(0, 600)), XLSX_TYPE, 'en'))).toMatchObject({ reason: 'NOT_A_TABLE' });
    const garbage = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(2000, 7)]);
    expect(await refusal(parseUpload(chunked(garbage), XLSX_TYPE, 'en'))).toMatchObject({ reason: 'NOT_A_TABLE' });
  });

  it('refuses a workbook that unpacks to more than 256 MB (a zip bomb) as TOO_LARGE, before it is unpacked', async () => {
    // 300 MB of one repeated shared string, deflated to a few hundred kB.
    const file = await zipOf([
      ['[Content_Types].xml', Buffer.from('<Types/>')],
      ['xl/sharedStrings.xml', Buffer.alloc(300 * 1024 * 1024, 'a')],
    ]);
    expect(file.length).toBeLessThan(MAX_UPLOAD_BYTES);
    expect(await checkZip(file)).toBe('TOO_LARGE');
    expect(await refusal(parseUpload(chunked(file, 65_536), XLSX_TYPE, 'en'))).toMatchObject({ code: ErrorCode.UPLOAD_INVALID, reason: 'TOO_LARGE' });
  });

  it('takes the zip exceljs writes, and refuses one with bytes hidden between its entries', async () => {
    const file = await xlsx([['77012112170']]);
    expect(await checkZip(file)).toBe('OK');
    expect(await checkZip(file, 1000)).toBe('TOO_LARGE');
    const entries = await zipOf([['a.txt', Buffer.from('hello')]]);
    expect(await checkZip(entries)).toBe('OK');
    // A local entry the central directory does not list, in front of the listed ones.
    const hidden = Buffer.concat([entries.subarray(0, entries.indexOf(Buffer.from('PK\x01\x02', 'latin1'))), entries]);
    expect(await checkZip(hidden)).toBe('INVALID');
    expect(await checkZip(Buffer.from('PK\x03\x04 not a zip at all', 'latin1'))).toBe('INVALID');
  });
});

/** A zip of the entries, deflated, with sizes in the local headers (as Excel writes them). */
async function zipOf(entries: [string, Buffer][]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = deflateRawSync(content);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(content), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(content), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
