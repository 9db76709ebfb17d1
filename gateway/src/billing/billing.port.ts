import type { RequestDb } from '../core/db';
import type { LocalizedText } from '../core/language';
import type { AccountMonthCharges, ChargeLine, NumberCharges } from './billing.charges';
import type { BillingFailureCode } from './billing.failures';

export type { LocalizedText };

// The billing schema's enumerated values, as the port's rows and operations carry them (its tables, billing.entities.ts,
// declare their columns with these).
export type PaymentMethod = 'ADVANCE' | 'CREDIT';
export type NumberState = 'ACTIVE' | 'BLOCKED' | 'BLOCKED_DEBT' | 'IN_PROCESS';
export type AllowanceKind = 'ONNET_CALLS' | 'OFFNET_CALLS' | 'LANDLINE_CALLS' | 'INTERNATIONAL_CALLS' | 'SMS' | 'ONNET_SMS' | 'DATA';
export type AllowanceUnit = 'SECOND' | 'SMS' | 'MEGABYTE';
export type ServiceCategory = 'VOICE' | 'INTERNET' | 'MESSAGING' | 'OTHER';
export type PaymentType = 'PAYMENT' | 'CHARGE' | 'REFUND' | 'ADJUSTMENT';
/** What a charge is for; its quantity is in the kind's unit (fees: 1, calls and roaming: minutes, SMS: messages, data: megabytes). */
export type ChargeKind = 'TARIFF_FEE' | 'SERVICE_FEE' | 'CALLS' | 'SMS' | 'DATA' | 'ROAMING' | 'OTHER';
export type PaymentChannel = 'KASPI' | 'HALYK' | 'KCELL_APP' | 'TERMINAL' | 'PAYMENT_ORDER' | 'OTHER';
export type AdjustmentReason = 'DUPLICATE_CHARGE' | 'ROAMING_RECALCULATION' | 'SERVICE_OUTAGE' | 'BALANCE_CORRECTION' | 'OTHER';
export type UsageType = 'CALL' | 'SMS' | 'DATA' | 'USSD';
export type UsageDirection = 'INCOMING' | 'OUTGOING';
export type ForwardingCondition = 'ALWAYS' | 'BUSY' | 'NO_ANSWER' | 'UNREACHABLE';

/** The operations the billing system carries out on a number (the operations domain's catalogue has exactly these). */
export type BillingOperationKind =
  | 'BLOCK_NUMBER'
  | 'UNBLOCK_NUMBER'
  | 'REPLACE_SIM'
  | 'CONNECT_SERVICE'
  | 'DISCONNECT_SERVICE'
  | 'REGISTER_DEVICE'
  | 'UNREGISTER_DEVICE'
  | 'SET_SMS_USSD_BAN'
  | 'SET_CALL_FORWARDING'
  | 'CANCEL_CALL_FORWARDING'
  | 'SEND_SECRET_CODE'
  | 'DELETE_SECRET_CODE'
  | 'CHANGE_TARIFF';

// The rows the port returns. Their enumerated columns carry the billing schema's values as strings; the domains'
// GraphQL enums have the same values (checked by billing.rows.test.ts).

export interface CompanyRow extends Record<string, unknown> {
  id: number;
  bin: string;
  name: string;
  parentId: number | null;
}

export interface AccountRow extends Record<string, unknown> {
  id: number;
  companyId: number;
  accountNo: string;
  paymentMethod: PaymentMethod;
  creditLimit: string;
}

export interface NumberRow extends Record<string, unknown> {
  id: number;
  msisdn: string;
  companyId: number;
  accountId: number;
  tariffId: number;
  state: NumberState;
  stateChangedAt: Date;
  balance: string;
  availableFunds: string;
  individualLimit: string | null;
  registrationForm: string;
  isM2m: boolean;
  roamingDebt: string | null;
  smsUssdBan: boolean;
  lastImei: string | null;
}

/** A number with its account and tariff (null only for a number that has none, which the schema forbids). */
export interface NumberWithAccountRow extends NumberRow {
  account: AccountRow | null;
  tariff: TariffRow | null;
}

/**
 * A number of a page with the account and the tariff it names, each given with the first row of the page that names it
 * and null on the rows after (and on a row that has none, which the schema forbids).
 */
export type NumberPageRow = NumberWithAccountRow;

/** What the operation rules need of a number: a `NumberRow` without the rest, for reads over many numbers at once. */
export type NumberFactsRow = Pick<NumberRow, 'id' | 'msisdn' | 'companyId' | 'tariffId' | 'state' | 'lastImei'>;

export interface SimCardRow extends Record<string, unknown> {
  numberId: number;
  iccid: string;
  installedAt: Date | null;
  replacedAt: Date | null;
}

export interface ServiceRow extends Record<string, unknown> {
  key: number;
  id: number;
  code: string;
  category: ServiceCategory;
  name: LocalizedText;
  description: LocalizedText;
  monthlyFee: string;
  infoUrl: string | null;
  connectedAt?: Date;
}

export interface TariffRow extends Record<string, unknown> {
  id: number;
  code: string;
  name: LocalizedText;
  /** In tiyn. */
  monthlyFee: string;
}

export interface AllowanceRow extends Record<string, unknown> {
  numberId: number;
  kind: AllowanceKind;
  isBonus: boolean;
  unlimited: boolean;
  available: string | null;
  total: string | null;
  unit: AllowanceUnit;
  validFrom: string;
  validTo: string;
}

export interface UsageRow extends Record<string, unknown> {
  id: string;
  numberId: number;
  startedAt: Date;
  type: UsageType;
  direction: UsageDirection;
  otherParty: string | null;
  durationSeconds: number | null;
  volumeKb: string | null;
  cost: string;
}

/** What a balance movement is, as the billing system records it. */
export interface PaymentFacts {
  type: PaymentType;
  /** The billing system's own free text: shown only for movements stored before their facts were. */
  comment: string;
  /** First day of the month a charge is for. */
  serviceMonth: string | null;
  chargeKind: ChargeKind | null;
  tariffName: LocalizedText | null;
  serviceName: LocalizedText | null;
  channel: PaymentChannel | null;
  reason: AdjustmentReason | null;
  reference: string | null;
}

export interface PaymentRow extends Record<string, unknown>, PaymentFacts {
  id: string;
  numberId: number | null;
  accountId: number;
  accountNo: string;
  paidAt: Date;
  type: PaymentType;
  amount: string;
  balanceBefore: string;
  balanceAfter: string;
}

export interface BillingOperation {
  id: string;
  numberId: number;
  kind: BillingOperationKind;
  params: Record<string, string | boolean>;
}

export type BillingResult = { ok: true } | { ok: false; reason: BillingFailureCode };

/**
 * The operator's billing system as the gateway sees it. `apply` carries out one operation through `db`,
 * inside the transaction that also records its outcome, so an operation is applied exactly once: everything it does
 * goes through `db`, and an `apply` rolled back to a savepoint may be called again for the same operation.
 * A real operator implements this against its own system; nothing else changes.
 */
export interface BillingSystem {
  /** How long the billing system takes, awaited before `apply` (the real system: 1–2 minutes); `db` is outside any transaction. */
  processingDelay(db: BillingSession, operation: BillingOperation): Promise<void>;
  /**
   * `batch`, when given: every operation applied one after the other in this transaction, `operation` among them,
   * so that what they all need may be read once at the first and not once per operation.
   */
  apply(db: RequestDb, operation: BillingOperation, batch?: readonly BillingOperation[]): Promise<BillingResult>;
}

/** A refusal found half-way through applying: thrown so that the partial changes are rolled back. */
export class BillingRejected extends Error {
  constructor(readonly reason: BillingFailureCode) {
    super(reason);
    this.name = 'BillingRejected';
  }
}

/**
 * The request's handle on the data. The PostgreSQL adapter reads through it, so its reads share the request's
 * transaction, snapshot and statement count; an adapter over another system may ignore it.
 */
export type BillingSession = Pick<RequestDb, 'query'>;

/** A period of whole days in Asia/Almaty, 'YYYY-MM-DD', both ends included. */
export interface BillingPeriod {
  from: string;
  to: string;
}

/** A keyset cursor (timestamp, id) of a newest-first page: rows strictly before it. */
export type NewestFirstCursor = [string, string] | null;

export interface PaymentPageArgs extends BillingPeriod {
  limit: number;
  after: NewestFirstCursor;
}

export interface CreditPaymentPageArgs extends PaymentPageArgs {
  /** Only this Credit account of the company; every one when null. */
  accountId: number | null;
}

export interface UsagePageArgs extends BillingPeriod {
  type: UsageType | null;
  limit: number;
  after: NewestFirstCursor;
}

export interface UsageTotals {
  calls: number;
  callSeconds: string;
  sms: number;
  dataKb: string;
  cost: string;
  /** Usage records of every kind: the lines of a usage document. */
  records: number;
}

export interface UsageTotalsRow extends Record<string, unknown>, UsageTotals {
  numberId: number;
}

export interface NumberFilter {
  companyId: number;
  /** Digits to look for anywhere in the number; a full number matches exactly. */
  search: string | null;
  state: NumberState | null;
  /** The cursor: numbers after this MSISDN. */
  afterMsisdn: string | null;
  limit: number;
}

export interface DeviceRow extends Record<string, unknown> {
  numberId: number;
  imei: string;
  registeredAt: Date;
}

export interface ForwardingRow extends Record<string, unknown> {
  numberId: number;
  condition: string;
  target: string;
  setAt: Date;
}

/**
 * The per-number reads a number's profile makes side by side (and the services its tariff allows, by tariff), each row
 * as its own method of `BillingReads` gives it: what `numberParts` answers in one call.
 */
export interface NumberParts {
  simCards: SimCardRow | null;
  devices: DeviceRow[];
  forwardings: ForwardingRow[];
  allowances: AllowanceRow[];
  connectedServices: ServiceRow[];
  tariffServices: ServiceRow[];
}

export type NumberPart = keyof NumberParts;

/** One read of `numberParts`: the method it stands for and that method's keys. */
export type NumberPartsRequest = { [P in NumberPart]: { part: P; keys: readonly number[] } }[NumberPart];

export interface SimCodesRow extends Record<string, unknown> {
  numberId: number;
  iccid: string;
  pin1: string;
  pin2: string;
  puk1: string;
  puk2: string;
}

/** A card of the stock or in service, by its ICCID. */
export interface StockSimCardRow extends Record<string, unknown> {
  iccid: string;
  /** The number it serves; null while it is a card of the stock. */
  numberId: number | null;
  retiredAt: Date | null;
}

/** A tariff plan a number may move to. */
export interface TariffChoiceRow extends Record<string, unknown> {
  numberId: number;
  id: number;
  code: string;
  name: LocalizedText;
  monthlyFee: string;
}

export interface NumberServiceKey {
  numberId: number;
  serviceId: number;
}

/** A service as one number stands to it. */
export interface NumberServiceRow extends Record<string, unknown>, NumberServiceKey {
  code: string;
  /** Whether the number's tariff offers it. */
  allowed: boolean;
  connected: boolean;
}

export interface NewSimCard {
  iccid: string;
  pin1: string;
  pin2: string;
  puk1: string;
  puk2: string;
}

/** The number, account or company a document is about, with its company. */
export type DocumentSubjectKey = { numberId: number } | { accountId: number; companyId: number } | { companyId: number };

export interface DocumentSubjectRow {
  companyId: number;
  companyName: string;
  companyBin: string;
  msisdn?: string;
  accountNo?: string;
  paymentMethod?: 'ADVANCE' | 'CREDIT';
}

/** Usage records of one number in a period, of one type or all. */
export interface UsageSelection extends BillingPeriod {
  numberId: number;
  type: UsageType | null;
}

export interface UsageLine {
  startedAt: Date;
  type: 'CALL' | 'SMS' | 'DATA' | 'USSD';
  direction: 'INCOMING' | 'OUTGOING';
  otherParty: string | null;
  durationSeconds: number | null;
  volumeKb: string | null;
  cost: string;
}

/** The movements of one number's balance, or of a company's Credit accounts (one, or all when `accountId` is null). */
export type PaymentSelection = BillingPeriod & ({ numberId: number } | { companyId: number; creditAccountId: number | null });

export interface PaymentLine extends PaymentFacts {
  accountNo: string;
  paidAt: Date;
  amount: string;
  before: string;
  after: string;
}

export interface NumberListLine {
  msisdn: string;
  accountNo: string;
  method: 'ADVANCE' | 'CREDIT';
  tariff: LocalizedText;
  state: NumberState;
  creditLimit: string;
  available: string;
  balance: string;
}

export interface ReconciliationSums {
  opening: string;
  closing: string;
  charged: string;
  paid: string;
  /** How many lines `reconciliationLines` yields for the same period. */
  lines: number;
}

export interface ReconciliationLine {
  month: string;
  accountNo: string;
  type: PaymentFacts['type'];
  charged: string;
  paid: string;
}

/**
 * What the gateway reads of the operator's billing system. Batch reads take a list of keys and answer in key order:
 * `null` (or `[]` for lists) where a key has nothing, so a DataLoader batches straight into one call. The PostgreSQL
 * adapter answers each call with one statement; an adapter over HTTP would with one request.
 */
export interface BillingReads {
  numbers(db: BillingSession, ids: readonly number[]): Promise<(NumberRow | null)[]>;
  /** `numbers` with each number's account and tariff beside it, in the same call: what a number's profile always shows. */
  numbersWithAccounts(db: BillingSession, ids: readonly number[]): Promise<(NumberWithAccountRow | null)[]>;
  numbersByMsisdn(db: BillingSession, msisdns: readonly string[]): Promise<(NumberRow | null)[]>;
  /** `numbers`, `numbersByMsisdn` and `listNumbers` with only the facts the operation rules need: fleet operations read 100,000 of them. */
  numberFacts(db: BillingSession, ids: readonly number[]): Promise<(NumberFactsRow | null)[]>;
  numberFactsByMsisdn(db: BillingSession, msisdns: readonly string[]): Promise<(NumberFactsRow | null)[]>;
  listNumberFacts(db: BillingSession, filter: NumberFilter): Promise<NumberFactsRow[]>;
  /** The SIM card in service for each number. */
  simCards(db: BillingSession, numberIds: readonly number[]): Promise<(SimCardRow | null)[]>;
  /** PIN and PUK codes of the SIM card in service for each number. */
  simCodes(db: BillingSession, numberIds: readonly number[]): Promise<(SimCodesRow | null)[]>;
  /** Registered devices per number, oldest first. */
  devices(db: BillingSession, numberIds: readonly number[]): Promise<DeviceRow[][]>;
  /** Call forwardings per number, by condition. */
  forwardings(db: BillingSession, numberIds: readonly number[]): Promise<ForwardingRow[][]>;
  tariffs(db: BillingSession, ids: readonly number[]): Promise<(TariffRow | null)[]>;
  /** Allowances and bonuses per number, by kind then start. */
  allowances(db: BillingSession, numberIds: readonly number[]): Promise<AllowanceRow[][]>;
  /** Connected services per number, in catalogue order. */
  connectedServices(db: BillingSession, numberIds: readonly number[]): Promise<ServiceRow[][]>;
  /** Services a tariff allows, in catalogue order. */
  tariffServices(db: BillingSession, tariffIds: readonly number[]): Promise<ServiceRow[][]>;
  servicesByCode(db: BillingSession, codes: readonly string[]): Promise<(ServiceRow | null)[]>;
  /**
   * Several of `simCards`, `devices`, `forwardings`, `allowances`, `connectedServices` and `tariffServices` in one call:
   * per request, in request order, what its method answers for its keys. A number's profile makes six of them at once.
   */
  numberParts(db: BillingSession, requests: readonly NumberPartsRequest[]): Promise<NumberParts[NumberPart][][]>;
  /** Per number and service: whether the number's tariff offers it and whether it is connected; null for a missing service or number. */
  numberServices(db: BillingSession, keys: readonly NumberServiceKey[]): Promise<(NumberServiceRow | null)[]>;
  /** SIM cards by ICCID, whether free, in service or retired. */
  simCardsByIccid(db: BillingSession, iccids: readonly string[]): Promise<(StockSimCardRow | null)[]>;
  /** Per number, the tariff plans its company may move it to, but its own, cheapest first. */
  tariffChoices(db: BillingSession, numberIds: readonly number[]): Promise<TariffChoiceRow[][]>;
  companies(db: BillingSession, ids: readonly number[]): Promise<(CompanyRow | null)[]>;
  companiesByBin(db: BillingSession, bins: readonly string[]): Promise<(CompanyRow | null)[]>;
  /** Branches per parent company, by name. */
  branches(db: BillingSession, parentIds: readonly number[]): Promise<CompanyRow[][]>;
  accounts(db: BillingSession, ids: readonly number[]): Promise<(AccountRow | null)[]>;
  /** Per number, one page of its payments (Advance accounts only), newest first. */
  payments(db: BillingSession, numberIds: readonly number[], page: PaymentPageArgs): Promise<PaymentRow[][]>;
  /** Per company, one page of the payments of its Credit accounts, newest first. */
  creditPayments(db: BillingSession, companyIds: readonly number[], page: CreditPaymentPageArgs): Promise<(PaymentRow & { companyId: number })[][]>;
  /** Per number, one page of its usage records, newest first. */
  usage(db: BillingSession, numberIds: readonly number[], page: UsagePageArgs): Promise<UsageRow[][]>;
  /** Per number, its usage totals in the period; null when it has no usage in it. */
  usageTotals(db: BillingSession, numberIds: readonly number[], period: BillingPeriod): Promise<(UsageTotalsRow | null)[]>;
  /** Per account, the ended service months ('YYYY-MM', before `before`) with charges, newest first. */
  chargeMonthsByAccount(db: BillingSession, accountIds: readonly number[], before: string): Promise<string[][]>;
  /** Per company, the ended service months in which any of its accounts has charges, newest first. */
  chargeMonthsByCompany(db: BillingSession, companyIds: readonly number[], before: string): Promise<string[][]>;

  /** One page of a company's numbers in MSISDN order, keyset-paged on the MSISDN. */
  listNumbers(db: BillingSession, filter: NumberFilter): Promise<NumberRow[]>;
  /** `listNumbers` with each number's account and tariff (as `accounts` and `tariffs` give them), read together. */
  listNumbersWithAccounts(db: BillingSession, filter: NumberFilter): Promise<NumberPageRow[]>;
  /** The companies of `ids` that exist, by name. */
  listCompanies(db: BillingSession, ids: readonly number[]): Promise<CompanyRow[]>;
  /** One page of a company's accounts in account-number order, after `afterNo`. */
  listAccounts(db: BillingSession, companyId: number, limit: number, afterNo: string | null): Promise<AccountRow[]>;

  /**
   * Reads for documents. `db` is a transaction holding one snapshot; the streams are read through it lazily, so
   * a large document is never held whole.
   */
  documentSubject(db: BillingSession, of: DocumentSubjectKey): Promise<DocumentSubjectRow | null>;
  usageSummary(db: BillingSession, of: UsageSelection): Promise<UsageTotals>;
  usageLines(db: BillingSession, of: UsageSelection): AsyncIterable<UsageLine>;
  paymentSummary(db: BillingSession, of: PaymentSelection): Promise<{ received: string; charged: string }>;
  paymentLines(db: BillingSession, of: PaymentSelection): AsyncIterable<PaymentLine>;
  numberCount(db: BillingSession, companyId: number): Promise<number>;
  numberLines(db: BillingSession, companyId: number): AsyncIterable<NumberListLine>;
  /** What was rendered on the account in the month: one line per kind and tariff or service, fees first. */
  chargeLines(db: BillingSession, accountId: number, month: string): Promise<ChargeLine[]>;
  /** The account's charges in the month per number charged; the account's own charges last. */
  chargesPerNumber(db: BillingSession, accountId: number, month: string): Promise<NumberCharges[]>;
  /** The company's charges per account and service month over [from, to] ('YYYY-MM'), by month then account. */
  chargesByAccountMonth(db: BillingSession, companyId: number, from: string, to: string): Promise<AccountMonthCharges[]>;
  reconciliationSums(db: BillingSession, companyId: number, period: BillingPeriod): Promise<ReconciliationSums>;
  reconciliationLines(db: BillingSession, companyId: number, period: BillingPeriod): AsyncIterable<ReconciliationLine>;

  /** Adds free SIM cards to the stock; answers the ICCIDs added (those already known are left). */
  addSimCards(db: BillingSession, cards: readonly NewSimCard[]): Promise<string[]>;
  /**
   * Shows the number In process while an operation that holds it (block, unblock) is carried out, if its state is
   * still `from`; false when it changed meanwhile.
   */
  holdNumber(db: BillingSession, numberId: number, from: NumberState): Promise<boolean>;
  /** Gives a held number its state after the operation; `changed` when the operation succeeded, which dates the change. */
  releaseNumber(db: BillingSession, numberId: number, state: NumberState, changed: boolean): Promise<void>;
}

/** The billing system whole: what the gateway reads of it and the operations it submits. */
export type BillingPort = BillingReads & BillingSystem;
