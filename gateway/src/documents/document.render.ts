import { billing, type ChargeKind, type ChargeLine, type DocumentSubjectKey } from '../billing';
import type { Language } from '../core/language';
import type { RequestDb } from '../core/db';
import { localize } from '../core/language';
import { paymentText } from '../payments';
import { mapRows } from './cursor';
import type { DocumentSpec } from './document.spec';
import { DOCUMENT_TEXTS, type DocumentTexts } from './document.texts';
import { formatDateTime, formatDuration, formatInteger, formatMoney, formatPhone, formatVolumeKb } from './format';
import { OPERATOR, VAT_PERCENT, vatIncluded } from './operator';
import { writePdf, type PdfSection } from './pdf';
import { writeXlsx, type XlsxColumn, type XlsxSheet } from './xlsx';

/** Who and what a document is about, loaded before it is written (for authorization, the file name, headings). */
export interface DocumentSubject {
  company: { id: number; name: string; bin: string };
  msisdn: string | null;
  account: { accountNo: string; paymentMethod: 'ADVANCE' | 'CREDIT' } | null;
}

export interface WrittenDocument {
  rows: number;
  /** The moment of the database snapshot the document was written from. */
  dataAsOf: Date;
}

function subjectKey(spec: DocumentSpec): DocumentSubjectKey {
  switch (spec.kind) {
    case 'USAGE':
    case 'PAYMENTS':
      return { numberId: spec.numberId };
    case 'COMPLETED_WORKS_ACT':
      return { accountId: spec.accountId, companyId: spec.companyId };
    case 'CREDIT_PAYMENTS':
      return spec.accountId !== null ? { accountId: spec.accountId, companyId: spec.companyId } : { companyId: spec.companyId };
    default:
      return { companyId: spec.companyId };
  }
}

/** The document's subject, or null when its number, account or company does not exist. */
export async function loadSubject(db: RequestDb, spec: DocumentSpec): Promise<DocumentSubject | null> {
  const row = await billing.documentSubject(db, subjectKey(spec));
  if (!row) return null;
  return {
    company: { id: row.companyId, name: row.companyName, bin: row.companyBin },
    msisdn: row.msisdn ?? null,
    account: row.accountNo && row.paymentMethod ? { accountNo: row.accountNo, paymentMethod: row.paymentMethod } : null,
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const day = (iso: string) => iso.split('-').reverse().join('.');

/** The file name offered for download or attached to an e-mail (ASCII, no spaces). */
export function documentFileName(spec: DocumentSpec, subject: DocumentSubject, at: Date = new Date()): string {
  const bin = subject.company.bin;
  switch (spec.kind) {
    case 'USAGE':
      return `usage-${subject.msisdn}-${spec.from}-${spec.to}.${spec.format.toLowerCase()}`;
    case 'PAYMENTS':
      return `payments-${subject.msisdn}-${spec.from}-${spec.to}.xlsx`;
    case 'CREDIT_PAYMENTS':
      return `credit-payments-${bin}-${spec.from}-${spec.to}.xlsx`;
    case 'COMPLETED_WORKS_ACT':
      return `act-${subject.account?.accountNo}-${spec.year}-${pad2(spec.month)}.pdf`;
    case 'INVOICE_REGISTER':
      return `invoices-${bin}-${spec.from}-${spec.to}.xlsx`;
    case 'NUMBERS_LIST':
      return `numbers-${bin}-${formatDateTime(at, 'en').slice(0, 10).split('.').reverse().join('-')}.xlsx`;
    case 'RECONCILIATION_ACT':
      return `reconciliation-${bin}-${spec.from}-${spec.to}.pdf`;
  }
}

/** The document's title in the given language (PDF metadata, e-mail subjects). */
export function documentTitle(spec: DocumentSpec, language: Language): string {
  const t = DOCUMENT_TEXTS[language];
  switch (spec.kind) {
    case 'USAGE':
      return t.usage.title;
    case 'PAYMENTS':
      return t.payments.title;
    case 'CREDIT_PAYMENTS':
      return t.payments.creditTitle;
    case 'COMPLETED_WORKS_ACT':
      return t.act.title('').replace(/\s*(№|No\.)\s*$/, '');
    case 'INVOICE_REGISTER':
      return t.invoices.title;
    case 'NUMBERS_LIST':
      return t.numbers.title;
    case 'RECONCILIATION_ACT':
      return t.reconciliation.title;
  }
}

interface Writing {
  db: RequestDb;
  spec: DocumentSpec;
  subject: DocumentSubject;
  language: Language;
  t: DocumentTexts;
  at: Date;
  output: NodeJS.WritableStream;
}

/**
 * Writes the document into `output` from one consistent snapshot of the data. `db` must be a transaction
 * that has run nothing yet: it is made REPEATABLE READ, READ ONLY, and the cursors live in it.
 */
export async function writeDocument(
  db: RequestDb,
  spec: DocumentSpec,
  subject: DocumentSubject,
  language: Language,
  output: NodeJS.WritableStream,
): Promise<WrittenDocument> {
  await db.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
  const [{ at }] = await db.query<{ at: Date }>(`SELECT now() AS at`);
  const w: Writing = { db, spec, subject, language, t: DOCUMENT_TEXTS[language], at, output };
  let rows: number;
  switch (spec.kind) {
    case 'USAGE':
      rows = await writeUsage(w, spec);
      break;
    case 'PAYMENTS':
    case 'CREDIT_PAYMENTS':
      rows = await writePayments(w, spec);
      break;
    case 'NUMBERS_LIST':
      rows = await writeNumbers(w, spec);
      break;
    case 'COMPLETED_WORKS_ACT':
      rows = await writeAct(w, spec);
      break;
    case 'INVOICE_REGISTER':
      rows = await writeInvoices(w, spec);
      break;
    case 'RECONCILIATION_ACT':
      rows = await writeReconciliation(w, spec);
      break;
  }
  return { rows, dataAsOf: at };
}

function heading(w: Writing, ...lines: string[]): string[] {
  const operator = OPERATOR[w.language];
  return [
    w.t.customer(w.subject.company.name, w.subject.company.bin),
    w.t.executor(operator.name, operator.bin, operator.address),
    ...lines,
    w.t.validAsOf(formatDateTime(w.at, w.language)),
  ];
}

const monthLabel = (t: DocumentTexts, yyyyMm: string) => `${t.months[Number(yyyyMm.slice(5, 7)) - 1]} ${yyyyMm.slice(0, 4)}`;

async function writeUsage(w: Writing, spec: Extract<DocumentSpec, { kind: 'USAGE' }>): Promise<number> {
  const { t, language } = w;
  const selection = { numberId: spec.numberId, from: spec.from, to: spec.to, type: spec.type };
  const totals = await billing.usageSummary(w.db, selection);
  const lines = [t.usage.number(w.subject.msisdn ?? ''), t.period(day(spec.from), day(spec.to))];
  if (spec.type) lines.push(t.usage.only(t.usage.kinds[spec.type]));
  if (spec.to >= formatIsoDay(w.at)) lines.push(t.usage.incomplete);
  const records = billing.usageLines(w.db, selection);
  const c = t.usage.columns;
  if (spec.format === 'PDF') {
    const { rows } = await writePdf(w.output, {
      title: t.usage.title,
      language,
      sections: [
        {
          title: t.usage.title,
          heading: heading(w, ...lines),
          columns: [
            { header: c.startedAt, key: 'startedAt', width: 82, kind: 'datetime' },
            { header: c.type, key: 'type', width: 52 },
            { header: c.direction, key: 'direction', width: 58 },
            { header: c.otherParty, key: 'otherParty', width: 88 },
            { header: c.duration, key: 'duration', width: 72, align: 'right' },
            { header: c.volume, key: 'volume', width: 70, align: 'right' },
            { header: c.cost, key: 'cost', width: 72, kind: 'money' },
          ],
          rows: mapRows(records, (r) => ({
            startedAt: r.startedAt,
            type: t.usage.kinds[r.type],
            direction: t.usage.directions[r.direction],
            otherParty: r.otherParty === null ? null : formatPhone(r.otherParty),
            duration: r.durationSeconds === null ? null : formatDuration(r.durationSeconds, language),
            volume: r.volumeKb === null ? null : formatVolumeKb(BigInt(r.volumeKb), language),
            cost: BigInt(r.cost),
          })),
          rowCount: totals.records,
          totals: [
            { label: t.usage.totals.calls, value: formatInteger(totals.calls, language) },
            { label: t.usage.totals.callTime, value: formatDuration(BigInt(totals.callSeconds), language) },
            { label: t.usage.totals.sms, value: formatInteger(totals.sms, language) },
            { label: t.usage.totals.data, value: formatVolumeKb(BigInt(totals.dataKb), language) },
            { label: t.usage.totals.cost, value: formatMoney(BigInt(totals.cost), language) },
          ],
        },
      ],
    });
    return rows;
  }
  const { rows } = await writeXlsx(w.output, {
    title: t.usage.title,
    heading: [t.usage.title, ...heading(w, ...lines)],
    columns: [
      { header: c.startedAt, key: 'startedAt', kind: 'datetime' },
      { header: c.type, key: 'type', width: 12 },
      { header: c.direction, key: 'direction', width: 12 },
      { header: c.otherParty, key: 'otherParty' },
      { header: c.durationSeconds, key: 'durationSeconds', kind: 'integer' },
      { header: c.volumeKb, key: 'volumeKb', kind: 'integer' },
      { header: c.cost, key: 'cost', kind: 'money' },
    ],
    rows: mapRows(records, (r) => ({
      startedAt: r.startedAt,
      type: t.usage.kinds[r.type],
      direction: t.usage.directions[r.direction],
      otherParty: r.otherParty,
      durationSeconds: r.durationSeconds,
      volumeKb: r.volumeKb === null ? null : BigInt(r.volumeKb),
      cost: BigInt(r.cost),
    })),
    totals: [
      { label: t.usage.totals.calls, values: { type: totals.calls, durationSeconds: BigInt(totals.callSeconds) } },
      { label: t.usage.totals.sms, values: { type: totals.sms } },
      { label: t.usage.totals.data, values: { volumeKb: BigInt(totals.dataKb) } },
      { label: t.usage.totals.cost, values: { cost: BigInt(totals.cost) } },
    ],
  });
  return rows;
}

function formatIsoDay(at: Date): string {
  return formatDateTime(at, 'en').slice(0, 10).split('.').reverse().join('-');
}

async function writePayments(w: Writing, spec: Extract<DocumentSpec, { kind: 'PAYMENTS' | 'CREDIT_PAYMENTS' }>): Promise<number> {
  const { t } = w;
  const credit = spec.kind === 'CREDIT_PAYMENTS';
  const selection =
    spec.kind === 'CREDIT_PAYMENTS'
      ? { companyId: spec.companyId, creditAccountId: spec.accountId, from: spec.from, to: spec.to }
      : { numberId: spec.numberId, from: spec.from, to: spec.to };
  const totals = await billing.paymentSummary(w.db, selection);
  const records = billing.paymentLines(w.db, selection);
  const c = t.payments.columns;
  const columns: XlsxColumn[] = [
    { header: c.paidAt, key: 'paidAt', kind: 'datetime' },
    { header: c.type, key: 'type' },
    { header: c.comment, key: 'comment', width: 40 },
    { header: c.amount, key: 'amount', kind: 'money' },
    { header: c.before, key: 'before', kind: 'money' },
    { header: c.after, key: 'after', kind: 'money' },
  ];
  if (credit) columns.unshift({ header: c.account, key: 'account', width: 16 });
  const title = credit ? t.payments.creditTitle : t.payments.title;
  const lines = credit
    ? [t.payments.creditNote, ...(w.subject.account ? [t.account(w.subject.account.accountNo, t.methods.CREDIT)] : [])]
    : [t.payments.number(w.subject.msisdn ?? '')];
  const sheet: XlsxSheet = {
    title,
    heading: [title, ...heading(w, ...lines, t.period(day(spec.from), day(spec.to)))],
    columns,
    rows: mapRows(records, (r) => ({
      account: r.accountNo,
      paidAt: r.paidAt,
      type: t.paymentKinds[r.type],
      comment: paymentText(r, w.language),
      amount: BigInt(r.amount),
      before: BigInt(r.before),
      after: BigInt(r.after),
    })),
    totals: [
      { label: t.payments.totals.received, values: { amount: BigInt(totals.received) } },
      { label: t.payments.totals.charged, values: { amount: BigInt(totals.charged) } },
    ],
  };
  return (await writeXlsx(w.output, sheet)).rows;
}

async function writeNumbers(w: Writing, spec: Extract<DocumentSpec, { kind: 'NUMBERS_LIST' }>): Promise<number> {
  const { t } = w;
  const count = await billing.numberCount(w.db, spec.companyId);
  const records = billing.numberLines(w.db, spec.companyId);
  const c = t.numbers.columns;
  const { rows } = await writeXlsx(w.output, {
    title: t.numbers.title,
    heading: [t.numbers.title, ...heading(w)],
    columns: [
      { header: c.msisdn, key: 'msisdn', width: 14 },
      { header: c.account, key: 'account', width: 14 },
      { header: c.method, key: 'method', width: 14 },
      { header: c.tariff, key: 'tariff', width: 24 },
      { header: c.state, key: 'state', width: 16 },
      { header: c.creditLimit, key: 'creditLimit', kind: 'money' },
      { header: c.available, key: 'available', kind: 'money' },
      { header: c.balance, key: 'balance', kind: 'money' },
    ],
    rows: mapRows(records, (r) => ({
      msisdn: r.msisdn,
      account: r.accountNo,
      method: t.methods[r.method],
      tariff: localize(r.tariff, w.language),
      state: t.numbers.states[r.state],
      creditLimit: r.method === 'CREDIT' ? BigInt(r.creditLimit) : null,
      available: BigInt(r.available),
      balance: BigInt(r.balance),
    })),
    totals: [{ label: t.numbers.total, values: { account: count } }],
  });
  return rows;
}

const lastDayOf = (yyyyMm: string) => {
  const [y, m] = yyyyMm.split('-').map(Number);
  return `${new Date(Date.UTC(y, m, 0)).getUTCDate()}.${pad2(m)}.${y}`;
};

const UNITS: Record<ChargeKind, keyof DocumentTexts['act']['units']> = {
  TARIFF_FEE: 'fee',
  SERVICE_FEE: 'fee',
  CALLS: 'minutes',
  SMS: 'sms',
  DATA: 'megabytes',
  ROAMING: 'minutes',
  OTHER: 'fee',
};

function lineName(t: DocumentTexts, language: Language, line: ChargeLine): string {
  switch (line.kind) {
    case 'TARIFF_FEE':
      return t.act.lines.TARIFF_FEE(line.tariff ? localize(line.tariff, language) : '');
    case 'SERVICE_FEE':
      return t.act.lines.SERVICE_FEE(line.service ? localize(line.service, language) : '');
    default:
      return t.act.lines[line.kind];
  }
}

/** The act of completed works and Appendix No. 1 of an account for one service month, dated its last day. */
async function writeAct(w: Writing, spec: Extract<DocumentSpec, { kind: 'COMPLETED_WORKS_ACT' }>): Promise<number> {
  const { t, language } = w;
  const account = w.subject.account!;
  const month = `${spec.year}-${pad2(spec.month)}`;
  const [lines, perNumber] = [await billing.chargeLines(w.db, spec.accountId, month), await billing.chargesPerNumber(w.db, spec.accountId, month)];
  const gross = lines.reduce((sum, line) => sum + line.amount, 0n);
  const no = `${account.accountNo}-${spec.year}${pad2(spec.month)}`;
  const monthText = monthLabel(t, month);
  const operator = OPERATOR[language];
  const accountLine = t.account(account.accountNo, t.methods[account.paymentMethod]);
  const dated = t.act.dated(lastDayOf(month));
  const total = [
    { label: t.act.total, value: formatMoney(gross, language) },
    { label: t.act.vat(VAT_PERCENT), value: formatMoney(vatIncluded(gross), language) },
  ];
  const sections: PdfSection[] = [
    {
      title: t.act.title(no),
      heading: [
        dated,
        t.executor(operator.name, operator.bin, operator.address),
        t.bank(operator.bank, operator.iban, operator.bic),
        operator.vatCertificate,
        t.customer(w.subject.company.name, w.subject.company.bin),
        accountLine,
        t.act.month(monthText),
        t.period(`01.${pad2(spec.month)}.${spec.year}`, lastDayOf(month)),
      ],
      columns: [
        { header: t.act.columns.no, key: 'no', width: 28, kind: 'integer' },
        { header: t.act.columns.service, key: 'service', width: 285 },
        { header: t.act.columns.unit, key: 'unit', width: 50 },
        { header: t.act.columns.quantity, key: 'quantity', width: 60, kind: 'integer' },
        { header: t.act.columns.amount, key: 'amount', width: 100, kind: 'money' },
      ],
      rows: lines.map((line, i) => ({
        no: i + 1,
        service: lineName(t, language, line),
        unit: t.act.units[UNITS[line.kind]],
        quantity: line.quantity,
        amount: line.amount,
      })),
      totals: total,
      notes: [t.act.statement, t.signatures],
    },
    {
      title: t.act.appendixTitle(no),
      heading: [dated, t.customer(w.subject.company.name, w.subject.company.bin), accountLine, t.act.month(monthText)],
      columns: [
        { header: t.act.appendixColumns.no, key: 'no', width: 24, kind: 'integer' },
        { header: t.act.appendixColumns.msisdn, key: 'msisdn', width: 80 },
        { header: t.act.appendixColumns.tariff, key: 'tariff', width: 108 },
        { header: t.act.appendixColumns.fees, key: 'fees', width: 75, kind: 'money' },
        { header: t.act.appendixColumns.services, key: 'services', width: 82, kind: 'money' },
        { header: t.act.appendixColumns.usage, key: 'usage', width: 70, kind: 'money' },
        { header: t.act.appendixColumns.amount, key: 'amount', width: 84, kind: 'money' },
      ],
      rows: perNumber.map((r, i) => ({
        no: i + 1,
        msisdn: r.msisdn === null ? t.act.accountCharges : formatPhone(r.msisdn),
        tariff: r.tariff ? localize(r.tariff, language) : null,
        fees: r.fees,
        services: r.services,
        usage: r.usage,
        amount: r.total,
      })),
      totals: total,
      notes: [t.signatures],
    },
  ];
  return (await writePdf(w.output, { title: t.act.title(no), language, sections })).rows;
}

/** One invoice per account and service month, dated the month's last day. */
async function writeInvoices(w: Writing, spec: Extract<DocumentSpec, { kind: 'INVOICE_REGISTER' }>): Promise<number> {
  const { t } = w;
  const invoices = (await billing.chargesByAccountMonth(w.db, spec.companyId, spec.from, spec.to)).map((r) => ({ ...r, vat: vatIncluded(r.gross) }));
  const sum = (of: (r: (typeof invoices)[number]) => bigint) => invoices.reduce((total, r) => total + of(r), 0n);
  const c = t.invoices.columns;
  const { rows } = await writeXlsx(w.output, {
    title: t.invoices.title,
    heading: [t.invoices.title, ...heading(w, t.invoices.months(monthLabel(t, spec.from), monthLabel(t, spec.to)))],
    columns: [
      { header: c.number, key: 'number', width: 20 },
      { header: c.date, key: 'date', width: 14 },
      { header: c.account, key: 'account', width: 14 },
      { header: c.method, key: 'method', width: 14 },
      { header: c.period, key: 'period', width: 16 },
      { header: c.net, key: 'net', kind: 'money' },
      { header: c.vat, key: 'vat', kind: 'money' },
      { header: c.gross, key: 'gross', kind: 'money' },
    ],
    rows: invoices.map((r) => ({
      number: `${r.accountNo}-${r.month.replace('-', '')}`,
      date: lastDayOf(r.month),
      account: r.accountNo,
      method: t.methods[r.paymentMethod],
      period: monthLabel(t, r.month),
      net: r.gross - r.vat,
      vat: r.vat,
      gross: r.gross,
    })),
    totals: [{ label: t.invoices.total, values: { net: sum((r) => r.gross - r.vat), vat: sum((r) => r.vat), gross: sum((r) => r.gross) } }],
  });
  return rows;
}

async function writeReconciliation(w: Writing, spec: Extract<DocumentSpec, { kind: 'RECONCILIATION_ACT' }>): Promise<number> {
  const { t, language } = w;
  const period = { from: spec.from, to: spec.to };
  const sums = await billing.reconciliationSums(w.db, spec.companyId, period);
  const records = billing.reconciliationLines(w.db, spec.companyId, period);
  const operator = OPERATOR[language];
  const c = t.reconciliation.columns;
  const { rows } = await writePdf(w.output, {
    title: t.reconciliation.title,
    language,
    sections: [
      {
        title: t.reconciliation.title,
        heading: [
          t.reconciliation.between(operator.name, w.subject.company.name),
          ...heading(w, t.bank(operator.bank, operator.iban, operator.bic), t.period(day(spec.from), day(spec.to))),
        ],
        columns: [
          { header: c.month, key: 'month', width: 95 },
          { header: c.account, key: 'account', width: 90 },
          { header: c.operation, key: 'operation', width: 128 },
          { header: c.charged, key: 'charged', width: 105, kind: 'money' },
          { header: c.paid, key: 'paid', width: 105, kind: 'money' },
        ],
        rows: mapRows(records, (r) => ({
          month: monthLabel(t, r.month),
          account: r.accountNo,
          operation: t.paymentKinds[r.type],
          charged: BigInt(r.charged),
          paid: BigInt(r.paid),
        })),
        rowCount: sums.lines,
        totals: [
          { label: t.reconciliation.opening, value: formatMoney(BigInt(sums.opening), language) },
          { label: t.reconciliation.charged, value: formatMoney(BigInt(sums.charged), language) },
          { label: t.reconciliation.paid, value: formatMoney(BigInt(sums.paid), language) },
          { label: t.reconciliation.closing, value: formatMoney(BigInt(sums.closing), language) },
        ],
        notes: [t.reconciliation.sign, t.signatures],
      },
    ],
  });
  return rows;
}
