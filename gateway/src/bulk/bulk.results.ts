import { once } from 'node:events';
import type { Context } from '../core/context';
import type { RequestDb } from '../core/db';
import type { Language } from '../core/language';
import { NotFoundError } from '../core/errors';
import { issueDownload, registerDownloadKind, writeXlsx, type DownloadLink, type OpenedDownload } from '../documents';
import type { BulkItemStatus } from './bulk.service';
import { bulkService } from './bulk.service';
import { reasonText } from './bulk.texts';

export type BulkResultsFormat = 'CSV' | 'XLSX';
interface ResultsSpec {
  kind: 'BULK_RESULTS';
  bulkOperationId: string;
  format: BulkResultsFormat;
}

const CONTENT_TYPES: Record<BulkResultsFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const PAGE = 5000;

const HEADERS: Record<Language, string[]> = {
  en: ['No.', 'Number', 'Status', 'Reason code', 'Reason'],
  ru: ['№', 'Номер', 'Статус', 'Код причины', 'Причина'],
  kk: ['№', 'Нөмір', 'Күйі', 'Себеп коды', 'Себебі'],
};
const STATUSES: Record<BulkItemStatus, Record<Language, string>> = {
  PENDING: { en: 'Pending', ru: 'Ожидает', kk: 'Күтуде' },
  IN_PROCESS: { en: 'In process', ru: 'В обработке', kk: 'Өңделуде' },
  SUCCESS: { en: 'Success', ru: 'Успешно', kk: 'Сәтті' },
  FAILURE: { en: 'Failure', ru: 'Ошибка', kk: 'Қате' },
  SKIPPED: { en: 'Skipped', ru: 'Пропущен', kk: 'Өткізілді' },
  CANCELLED: { en: 'Cancelled', ru: 'Отменен', kk: 'Тоқтатылды' },
};

interface ResultLine extends Record<string, unknown> {
  position: number;
  msisdn: string;
  status: string;
  code: string;
  reason: string;
}

/** The items in position order, a page at a time: a 100,000-item result is never held whole. */
async function* resultLines(db: RequestDb, bulkId: string, language: Language): AsyncIterable<ResultLine> {
  let after = 0;
  for (;;) {
    const rows = await db.query<{ position: number; msisdn: string; status: BulkItemStatus; reason: string | null }>(
      `SELECT position, msisdn, status, reason FROM cabinet.bulk_items WHERE bulk_operation_id = $1 AND position > $2 ORDER BY position LIMIT $3`,
      [bulkId, after, PAGE],
    );
    for (const row of rows) {
      yield {
        position: row.position,
        msisdn: row.msisdn,
        status: STATUSES[row.status][language],
        code: row.reason ?? '',
        reason: row.reason ? reasonText(row.reason, language) : '',
      };
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].position;
  }
}

const csvField = (value: unknown) => {
  const text = String(value);
  return /[",;\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

async function writeCsv(output: NodeJS.WritableStream, headers: string[], lines: AsyncIterable<ResultLine>): Promise<number> {
  let rows = 0;
  // A byte-order mark: spreadsheet programs then read the file as UTF-8.
  const write = async (text: string) => {
    if (!output.write(text)) await once(output as never, 'drain');
  };
  await write(`\ufeff${headers.map(csvField).join(',')}\r\n`);
  for await (const line of lines) {
    await write(`${[line.position, line.msisdn, line.status, line.code, line.reason].map(csvField).join(',')}\r\n`);
    rows += 1;
  }
  output.end();
  return rows;
}

const fileName = (bulkId: string, format: BulkResultsFormat) => `bulk-operation-${bulkId}.${format.toLowerCase()}`;

async function openResults(ctx: Context, claims: { companyId: number; language: Language; spec: ResultsSpec }): Promise<OpenedDownload | null> {
  const bulk = await bulkService.byId(ctx, claims.spec.bulkOperationId);
  if (!bulk || bulk.companyId !== claims.companyId) return null;
  const { format } = claims.spec;
  const headers = HEADERS[claims.language];
  return {
    filename: fileName(bulk.id, format),
    contentType: CONTENT_TYPES[format],
    write: (output) =>
      ctx.transaction(async () => {
        await ctx.db.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
        const [{ now }] = await ctx.db.query<{ now: Date }>(`SELECT now()`);
        const lines = resultLines(ctx.db, bulk.id, claims.language);
        const rows =
          format === 'CSV'
            ? await writeCsv(output, headers, lines)
            : (
                await writeXlsx(output, {
                  title: `Bulk operation ${bulk.id}`,
                  columns: [
                    { header: headers[0], key: 'position', kind: 'integer', width: 8 },
                    { header: headers[1], key: 'msisdn', width: 14 },
                    { header: headers[2], key: 'status', width: 14 },
                    { header: headers[3], key: 'code', width: 26 },
                    { header: headers[4], key: 'reason', width: 60 },
                  ],
                  rows: lines,
                })
              ).rows;
        return { rows, dataAsOf: now };
      }),
  };
}

registerDownloadKind('BULK_RESULTS', openResults as never);

/** A signed link to the operation's results per number, as CSV or XLSX, streamed when fetched. */
export async function resultsDownload(ctx: Context, bulkId: string, format: BulkResultsFormat): Promise<DownloadLink> {
  const bulk = await bulkService.byId(ctx, bulkId);
  if (!bulk) throw new NotFoundError('BulkOperation');
  const spec: ResultsSpec = { kind: 'BULK_RESULTS', bulkOperationId: bulk.id, format };
  return issueDownload(ctx, bulk.companyId, spec, fileName(bulk.id, format));
}
