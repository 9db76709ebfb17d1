import type {
  AdjustmentReason,
  AllowanceKind,
  ChargeKind,
  PaymentChannel,
  AllowanceUnit,
  PaymentType,
  UsageDirection,
  UsageType,
} from '../../billing/billing.port';
import { almatyTime, type Clock, monthOf } from './calendar';
import type { BonusFixture, ManualNumber, TariffFixture } from './demo-data';
import { type Random, randomMsisdn } from './random';

const DAY_MS = 86_400_000;
const PAYMENT_WINDOW_DAYS = 120;
const USAGE_WINDOW_DAYS = 100;

export interface AllowancePlan {
  kind: AllowanceKind;
  isBonus: boolean;
  unlimited: boolean;
  available: number | null;
  total: number | null;
  unit: AllowanceUnit;
}

/** The plan's unlimited on-net calls plus the tariff's monthly bonuses. */
export function allowanceRows(tariff: TariffFixture, available: (bonus: BonusFixture) => number): AllowancePlan[] {
  return [
    { kind: 'ONNET_CALLS', isBonus: false, unlimited: true, available: null, total: null, unit: 'SECOND' },
    ...tariff.bonuses.map((bonus) => ({
      kind: bonus.kind,
      isBonus: true,
      unlimited: false,
      available: Math.max(0, Math.min(bonus.total, available(bonus))),
      total: bonus.total,
      unit: bonus.unit,
    })),
  ];
}

/** What a movement is, as the billing system stores it (see the payments columns). */
export interface PaymentDetail {
  /** First day of the month a charge is for. */
  serviceMonth?: string;
  chargeKind?: ChargeKind;
  tariffCode?: string;
  serviceCode?: string;
  quantity?: number;
  channel?: PaymentChannel;
  reason?: AdjustmentReason;
  reference?: string | null;
}

export interface PaymentPlan extends PaymentDetail {
  accountNo: string;
  msisdn: string | null;
  paidAt: Date;
  type: PaymentType;
  comment: string;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  /** Position in its balance chain, to keep the order of entries with the same timestamp. */
  sequence: number;
}

interface Draft {
  at: Date;
  type: PaymentType;
  comment: string;
  amount: number;
  fixed: boolean;
  msisdn?: string;
  detail: PaymentDetail;
}

function topUp(rng: Random): { comment: string; detail: PaymentDetail } {
  return rng.weighted<() => { comment: string; detail: PaymentDetail }>([
    [
      () => {
        const reference = `2000${rng.digits(8)}`;
        return { comment: `Payment via Kaspi ${reference}`, detail: { channel: 'KASPI', reference } };
      },
      5,
    ],
    [() => ({ comment: 'Payment via Halyk Bank', detail: { channel: 'HALYK' } }), 2],
    [() => ({ comment: 'Payment via Kcell app', detail: { channel: 'KCELL_APP' } }), 2],
    [
      () => {
        const reference = rng.digits(6);
        return { comment: `Payment via terminal ${reference}`, detail: { channel: 'TERMINAL', reference } };
      },
      1,
    ],
  ])();
}

function at(start: Date, ms: number): Date {
  return new Date(start.getTime() + ms);
}

/** A number as its charges see it: its tariff, paid services and usage. */
export interface BilledNumber {
  msisdn: string;
  tariff: TariffFixture;
  serviceFees: readonly { code: string; name: string; fee: number; since: Date }[];
  usage: readonly UsagePlan[];
  /** Roams now and then (a roaming service or a roaming debt). */
  roams: boolean;
}

const MB_KB = 1024;

/**
 * The charges of one number for the service month [monthStart, nextMonthStart): the monthly fees (posted at
 * `feesAt`) and what was used, by kind (posted at `usageAt`, once the month is over).
 */
function monthCharges(rng: Random, number: BilledNumber, monthStart: Date, nextMonthStart: Date, feesAt: Date, usageAt: Date): Draft[] {
  const serviceMonth = monthOf(monthStart);
  const drafts: Draft[] = [];
  const charge = (at: Date, comment: string, amount: number, detail: PaymentDetail): void => {
    if (amount > 0) drafts.push({ at, type: 'CHARGE', comment, amount: -amount, fixed: false, msisdn: number.msisdn, detail: { serviceMonth, ...detail } });
  };
  charge(feesAt, `Monthly fee: tariff ${number.tariff.name.en}`, number.tariff.monthlyFee, {
    chargeKind: 'TARIFF_FEE',
    tariffCode: number.tariff.code,
    quantity: 1,
  });
  number.serviceFees.forEach((service, i) => {
    if (service.since < nextMonthStart) {
      charge(at(feesAt, (i + 1) * 60_000), `Monthly fee: ${service.name}`, service.fee, { chargeKind: 'SERVICE_FEE', serviceCode: service.code, quantity: 1 });
    }
  });
  const used = number.usage.filter((u) => u.cost > 0 && u.startedAt >= monthStart && u.startedAt < nextMonthStart);
  const sum = (records: readonly UsagePlan[], of: (u: UsagePlan) => number) => records.reduce((total, u) => total + of(u), 0);
  const calls = used.filter((u) => u.type === 'CALL');
  const sms = used.filter((u) => u.type === 'SMS');
  const data = used.filter((u) => u.type === 'DATA');
  charge(
    at(usageAt, 1_000),
    'Calls',
    sum(calls, (u) => u.cost),
    { chargeKind: 'CALLS', quantity: sum(calls, (u) => Math.ceil((u.durationSeconds ?? 0) / 60)) },
  );
  charge(
    at(usageAt, 2_000),
    'SMS',
    sum(sms, (u) => u.cost),
    { chargeKind: 'SMS', quantity: sms.length },
  );
  charge(
    at(usageAt, 3_000),
    'Mobile internet',
    sum(data, (u) => u.cost),
    {
      chargeKind: 'DATA',
      quantity: sum(data, (u) => Math.ceil((u.volumeKb ?? 0) / MB_KB)),
    },
  );
  if (number.roams && rng.chance(0.35)) {
    const minutes = rng.int(3, 60);
    charge(at(usageAt, 4_000), 'Roaming', minutes * rng.pick([19_900, 29_900, 49_900]), { chargeKind: 'ROAMING', quantity: minutes });
  }
  return drafts;
}

/**
 * The balance history of an advance number over the last 120 days. It is built backwards from the current
 * balance, so that the chain ends exactly at it and top-ups never exceed what the balance can explain.
 * Monthly fees are taken at the start of the month they are for; usage once its month is over.
 */
export function advancePayments(
  rng: Random,
  clock: Clock,
  number: BilledNumber & { accountNo: string; balance: number; lastPayment?: ManualNumber['lastPayment'] },
): PaymentPlan[] {
  const end = number.lastPayment ? clock.dayAt(number.lastPayment.daysAgo, number.lastPayment.time) : clock.now;
  const drafts: Draft[] = [];
  const draft = (at: Date, type: PaymentType, comment: string, amount: number, detail: PaymentDetail): void => {
    drafts.push({ at, type, comment, amount, fixed: false, detail });
  };
  const starts = clock.monthStartsWithin(PAYMENT_WINDOW_DAYS);
  starts.forEach((monthStart, i) => {
    const next = starts[i + 1] ?? monthAfter(monthStart);
    const feesAt = at(monthStart, rng.int(60, 3600) * 1000);
    const usageAt = at(next, rng.int(3600, 7200) * 1000);
    for (const charge of monthCharges(rng, number, monthStart, next, feesAt, usageAt)) {
      if (charge.at < end) drafts.push(charge);
    }
  });
  const windowStart = clock.ago(PAYMENT_WINDOW_DAYS * DAY_MS);
  for (let t = at(windowStart, rng.int(0, 10) * DAY_MS); t < end; t = at(t, rng.int(6, 25) * DAY_MS + rng.int(0, 86_399) * 1000)) {
    const { comment, detail } = topUp(rng);
    draft(t, 'PAYMENT', comment, rng.pick([500, 1000, 2000, 3000, 5000, 10000]) * 100, detail);
  }
  const randomMoment = (): Date => at(windowStart, rng.next() * (end.getTime() - windowStart.getTime()));
  if (rng.chance(0.2)) draft(randomMoment(), 'REFUND', 'Refund: duplicate charge', rng.int(100, 1500) * 100, { reason: 'DUPLICATE_CHARGE' });
  if (rng.chance(0.15)) {
    const amount = rng.int(50, 500) * 100 * (rng.chance(0.5) ? 1 : -1);
    draft(randomMoment(), 'ADJUSTMENT', amount > 0 ? 'Compensation for service outage' : 'Balance correction', amount, {
      reason: amount > 0 ? 'SERVICE_OUTAGE' : 'BALANCE_CORRECTION',
    });
  }
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime());
  if (number.lastPayment) {
    const reference = /(\d{6,})$/.exec(number.lastPayment.comment)?.[1] ?? null;
    drafts.push({
      at: end,
      type: 'PAYMENT',
      comment: number.lastPayment.comment,
      amount: number.lastPayment.amount,
      fixed: true,
      detail: { channel: /kaspi/i.test(number.lastPayment.comment) ? 'KASPI' : 'OTHER', reference },
    });
  }

  const chain: Omit<PaymentPlan, 'sequence'>[] = [];
  let after = number.balance;
  for (let i = drafts.length - 1; i >= 0; i--) {
    const draft = drafts[i];
    const amount = draft.amount > 0 && !draft.fixed ? Math.min(draft.amount, after) : draft.amount;
    if (amount === 0 || (amount < 0 && draft.amount > 0)) continue;
    chain.push({
      accountNo: number.accountNo,
      msisdn: number.msisdn,
      paidAt: draft.at,
      type: draft.type,
      comment: draft.comment,
      amount,
      balanceBefore: after - amount,
      balanceAfter: after,
      ...draft.detail,
    });
    after -= amount;
  }
  return chain.reverse().map((p, sequence) => ({ ...p, sequence }));
}

function monthAfter(monthStart: Date): Date {
  // Any instant 32 days on falls in the next month; its local first day is found the same way as the others.
  const probe = at(monthStart, 32 * DAY_MS);
  const [y, m] = monthOf(probe).split('-').map(Number);
  return almatyTime(`${y}-${String(m).padStart(2, '0')}-01 00:00`);
}

/**
 * The account-level balance of a credit (postpaid) account: after each month, each number's charges for it
 * (fees and usage, each naming its number), then the payment order that settles them.
 */
export function accountPayments(rng: Random, clock: Clock, account: { accountNo: string; numbers: readonly BilledNumber[]; inDebt: boolean }): PaymentPlan[] {
  const drafts: Draft[] = [];
  const recent = clock.ago(60 * DAY_MS);
  const starts = clock.monthStartsWithin(PAYMENT_WINDOW_DAYS);
  for (const invoiceMonthStart of starts) {
    const invoiced = at(invoiceMonthStart, rng.int(2, 6) * 3_600_000);
    if (invoiced >= clock.now) continue;
    const serviceMonthStart = almatyTime(`${monthOf(at(invoiceMonthStart, -DAY_MS)).slice(0, 10)} 00:00`);
    const charges = account.numbers.flatMap((n) => monthCharges(rng, n, serviceMonthStart, invoiceMonthStart, invoiced, invoiced));
    charges.forEach((c, i) => (c.at = at(invoiced, i * 1000)));
    drafts.push(...charges);
    const amount = -charges.reduce((sum, c) => sum + c.amount, 0);
    const paid = at(invoiced, rng.int(3, 15) * DAY_MS + rng.int(0, 28_800) * 1000);
    if (amount > 0 && paid < clock.now && !(account.inDebt && invoiceMonthStart > recent)) {
      const reference = String(rng.int(1000, 9999));
      drafts.push({
        at: paid,
        type: 'PAYMENT',
        comment: `Payment order No. ${reference}`,
        amount,
        fixed: false,
        detail: { channel: 'PAYMENT_ORDER', reference },
      });
    }
  }
  if (rng.chance(0.3) && drafts.length > 0) {
    const amount = rng.int(10, 300) * 100;
    const type = rng.chance(0.5) ? 'REFUND' : 'ADJUSTMENT';
    drafts.push({
      at: at(drafts[0].at, rng.int(1, 20) * DAY_MS),
      type,
      comment: type === 'REFUND' ? 'Refund: roaming charges recalculation' : 'Compensation for service outage',
      amount,
      fixed: false,
      detail: { reason: type === 'REFUND' ? 'ROAMING_RECALCULATION' : 'SERVICE_OUTAGE' },
    });
  }
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime());

  let before = 0;
  return drafts.map((draft, sequence) => {
    const entry: PaymentPlan = {
      accountNo: account.accountNo,
      msisdn: draft.msisdn ?? null,
      paidAt: draft.at,
      type: draft.type,
      comment: draft.comment,
      amount: draft.amount,
      balanceBefore: before,
      balanceAfter: before + draft.amount,
      sequence,
      ...draft.detail,
    };
    before = entry.balanceAfter;
    return entry;
  });
}

export interface UsagePlan {
  startedAt: Date;
  type: UsageType;
  direction: UsageDirection;
  otherParty: string | null;
  durationSeconds: number | null;
  volumeKb: number | null;
  cost: number;
}

type Party = 'ONNET' | 'OFFNET' | 'LANDLINE' | 'INTERNATIONAL';

function otherParty(rng: Random, party: Party): string {
  switch (party) {
    case 'ONNET':
      return randomMsisdn(rng, ['701', '702', '775', '778']);
    case 'OFFNET':
      return randomMsisdn(rng, ['705', '777', '707', '747', '700', '708']);
    case 'LANDLINE':
      return rng.chance(0.5) ? `7727${rng.digits(7)}` : `${rng.pick(['77172', '77252', '77212'])}${rng.digits(6)}`;
    case 'INTERNATIONAL':
      return `${rng.pick(['998', '996', '992', '90', '49', '86', '971', '44'])}${rng.digits(9)}`;
  }
}

const minutesOf = (seconds: number): number => Math.ceil(seconds / 60);

function usageRecord(rng: Random, startedAt: Date, m2m: boolean): UsagePlan {
  const type = m2m
    ? rng.weighted<UsageType>([
        ['DATA', 70],
        ['SMS', 25],
        ['USSD', 5],
      ])
    : rng.weighted<UsageType>([
        ['CALL', 55],
        ['SMS', 15],
        ['DATA', 25],
        ['USSD', 5],
      ]);
  const base = { startedAt, type, durationSeconds: null, volumeKb: null, cost: 0 };
  if (type === 'DATA') {
    const volumeKb = Math.round(Math.exp(rng.next() * 13));
    const cost = rng.chance(m2m ? 0.3 : 0.1) ? Math.ceil(volumeKb / 1024) * (m2m ? 500 : 50) : 0;
    return { ...base, direction: 'OUTGOING', otherParty: null, durationSeconds: rng.int(10, 3600), volumeKb, cost };
  }
  if (type === 'USSD') {
    return { ...base, direction: 'OUTGOING', otherParty: rng.pick(['*100#', '*111#', '*120#', '*145#', '*555#']) };
  }
  const party = rng.weighted<Party>([
    ['ONNET', 45],
    ['OFFNET', 30],
    ['LANDLINE', type === 'CALL' ? 15 : 0],
    ['INTERNATIONAL', 6],
  ]);
  const direction = rng.weighted<UsageDirection>([
    ['OUTGOING', type === 'CALL' ? 50 : 60],
    ['INCOMING', type === 'CALL' ? 50 : 40],
  ]);
  if (type === 'SMS') {
    const sender = direction === 'INCOMING' && rng.chance(0.3) ? rng.pick(['Kaspi.kz', 'Kcell', 'Halyk', 'eGov', '1414']) : otherParty(rng, party);
    const cost = direction === 'INCOMING' ? 0 : party === 'INTERNATIONAL' ? 3500 : rng.chance(0.2) ? 1500 : 0;
    return { ...base, direction, otherParty: sender, cost };
  }
  const missed = direction === 'INCOMING' && rng.chance(0.08);
  const durationSeconds = missed ? 0 : Math.min(3600, Math.round(Math.exp(rng.next() * 6.6)) + 2);
  let cost = 0;
  if (direction === 'OUTGOING') {
    if (party === 'OFFNET' && rng.chance(0.3)) cost = minutesOf(durationSeconds) * 2500;
    if (party === 'LANDLINE' && rng.chance(0.2)) cost = minutesOf(durationSeconds) * 1500;
    if (party === 'INTERNATIONAL' && rng.chance(0.5)) cost = minutesOf(durationSeconds) * 9900;
  }
  return { ...base, direction, otherParty: otherParty(rng, party), durationSeconds, cost };
}

/**
 * Usage over the last 100 days (longer than the cabinet's 90-day window), oldest first. A blocked number only
 * receives after `outgoingUntil`.
 */
export function usageRecords(rng: Random, clock: Clock, options: { count: number; since: Date; outgoingUntil: Date | null; m2m: boolean }): UsagePlan[] {
  const records: UsagePlan[] = [];
  for (let i = 0; i < options.count; i++) {
    const secondsIntoDay = rng.chance(0.9) ? rng.int(8 * 3600, 22 * 3600) : rng.int(0, 86_399);
    let startedAt = clock.day(rng.int(0, USAGE_WINDOW_DAYS - 1), secondsIntoDay);
    if (startedAt.getTime() >= clock.now.getTime() - 60_000) startedAt = at(startedAt, -DAY_MS);
    if (startedAt < options.since) continue;
    const record = usageRecord(rng, startedAt, options.m2m);
    if (options.outgoingUntil && startedAt >= options.outgoingUntil && record.direction === 'OUTGOING') continue;
    records.push(record);
  }
  return records.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}
