import type {
  AllowanceKind,
  AllowanceUnit,
  PaymentType,
  UsageDirection,
  UsageType,
} from '../../billing/billing.entities';
import { type Clock, monthName } from './calendar';
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

export interface PaymentPlan {
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
}

function paymentComment(rng: Random): string {
  return rng.weighted<() => string>([
    [() => `Payment via Kaspi 2000${rng.digits(8)}`, 5],
    [() => 'Payment via Halyk Bank', 2],
    [() => 'Payment via Kcell app', 2],
    [() => `Payment via terminal ${rng.digits(6)}`, 1],
  ])();
}

function at(start: Date, ms: number): Date {
  return new Date(start.getTime() + ms);
}

/**
 * The balance history of an advance number over the last 120 days. It is built backwards from the current
 * balance, so that the chain ends exactly at it and top-ups never exceed what the balance can explain.
 */
export function advancePayments(
  rng: Random,
  clock: Clock,
  number: {
    msisdn: string;
    accountNo: string;
    tariff: TariffFixture;
    serviceFees: readonly { name: string; fee: number; since: Date }[];
    balance: number;
    lastPayment?: ManualNumber['lastPayment'];
  },
): PaymentPlan[] {
  const end = number.lastPayment ? clock.dayAt(number.lastPayment.daysAgo, number.lastPayment.time) : clock.now;
  const drafts: Draft[] = [];
  const draft = (at: Date, type: PaymentType, comment: string, amount: number): void => {
    drafts.push({ at, type, comment, amount, fixed: false });
  };
  for (const monthStart of clock.monthStartsWithin(PAYMENT_WINDOW_DAYS)) {
    const charged = at(monthStart, rng.int(60, 3600) * 1000);
    if (charged >= end) continue;
    if (number.tariff.monthlyFee > 0) {
      draft(charged, 'CHARGE', `Monthly fee: tariff ${number.tariff.name.en}`, -number.tariff.monthlyFee);
    }
    number.serviceFees.forEach((service, i) => {
      if (service.since < charged) draft(at(charged, (i + 1) * 60_000), 'CHARGE', `Monthly fee: ${service.name}`, -service.fee);
    });
  }
  const windowStart = clock.ago(PAYMENT_WINDOW_DAYS * DAY_MS);
  for (let t = at(windowStart, rng.int(0, 10) * DAY_MS); t < end; t = at(t, rng.int(6, 25) * DAY_MS + rng.int(0, 86_399) * 1000)) {
    draft(t, 'PAYMENT', paymentComment(rng), rng.pick([500, 1000, 2000, 3000, 5000, 10000]) * 100);
  }
  const randomMoment = (): Date => at(windowStart, rng.next() * (end.getTime() - windowStart.getTime()));
  if (rng.chance(0.2)) draft(randomMoment(), 'REFUND', 'Refund: duplicate charge', rng.int(100, 1500) * 100);
  if (rng.chance(0.15)) {
    const amount = rng.int(50, 500) * 100 * (rng.chance(0.5) ? 1 : -1);
    draft(randomMoment(), 'ADJUSTMENT', amount > 0 ? 'Compensation for service outage' : 'Balance correction', amount);
  }
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime());
  if (number.lastPayment) {
    drafts.push({ at: end, type: 'PAYMENT', comment: number.lastPayment.comment, amount: number.lastPayment.amount, fixed: true });
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
    });
    after -= amount;
  }
  return chain.reverse().map((p, sequence) => ({ ...p, sequence }));
}

/** The account-level history of a credit account: monthly invoices and the payment orders that settle them. */
export function accountPayments(
  rng: Random,
  clock: Clock,
  account: { accountNo: string; monthlyCharges: number; inDebt: boolean },
): PaymentPlan[] {
  const drafts: Draft[] = [];
  const recent = clock.ago(60 * DAY_MS);
  for (const monthStart of clock.monthStartsWithin(PAYMENT_WINDOW_DAYS)) {
    const invoiced = at(monthStart, rng.int(2, 6) * 3_600_000);
    if (invoiced >= clock.now) continue;
    const amount = Math.round(account.monthlyCharges * (1 + rng.next() * 0.4));
    drafts.push({ at: invoiced, type: 'CHARGE', comment: `Invoice for ${monthName(at(monthStart, -DAY_MS))}`, amount: -amount, fixed: false });
    const paid = at(invoiced, rng.int(3, 15) * DAY_MS + rng.int(0, 28_800) * 1000);
    if (paid < clock.now && !(account.inDebt && monthStart > recent)) {
      drafts.push({ at: paid, type: 'PAYMENT', comment: `Payment order No. ${rng.int(1000, 9999)}`, amount, fixed: false });
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
    });
  }
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime());

  let before = 0;
  return drafts.map((draft, sequence) => {
    const entry: PaymentPlan = {
      accountNo: account.accountNo,
      msisdn: null,
      paidAt: draft.at,
      type: draft.type,
      comment: draft.comment,
      amount: draft.amount,
      balanceBefore: before,
      balanceAfter: before + draft.amount,
      sequence,
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
    ? rng.weighted<UsageType>([['DATA', 70], ['SMS', 25], ['USSD', 5]])
    : rng.weighted<UsageType>([['CALL', 55], ['SMS', 15], ['DATA', 25], ['USSD', 5]]);
  const base = { startedAt, type, durationSeconds: null, volumeKb: null, cost: 0 };
  if (type === 'DATA') {
    const volumeKb = Math.round(Math.exp(rng.next() * 13));
    const cost = rng.chance(m2m ? 0.3 : 0.1) ? Math.ceil(volumeKb / 1024) * (m2m ? 500 : 50) : 0;
    return { ...base, direction: 'OUTGOING', otherParty: null, durationSeconds: rng.int(10, 3600), volumeKb, cost };
  }
  if (type === 'USSD') {
    return { ...base, direction: 'OUTGOING', otherParty: rng.pick(['*100#', '*111#', '*120#', '*145#', '*555#']) };
  }
  const party = rng.weighted<Party>([['ONNET', 45], ['OFFNET', 30], ['LANDLINE', type === 'CALL' ? 15 : 0], ['INTERNATIONAL', 6]]);
  const direction = rng.weighted<UsageDirection>([['OUTGOING', type === 'CALL' ? 50 : 60], ['INCOMING', type === 'CALL' ? 50 : 40]]);
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
export function usageRecords(
  rng: Random,
  clock: Clock,
  options: { count: number; since: Date; outgoingUntil: Date | null; m2m: boolean },
): UsagePlan[] {
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
