import type { ForwardingCondition, NumberState, PaymentMethod } from '../../billing/billing.port';
import { almatyTime, type Clock } from './calendar';
import {
  ADMIN_NAMES,
  BRANCH_COMPANY,
  COMPANY_NAME_PARTS,
  DEMO_FREE_ICCIDS,
  DEMO_SEED,
  FREE_SIM_STOCK,
  GENERATED_COMPANIES,
  GENERATED_NUMBERS_PER_COMPANY,
  HEAD_COMPANY,
  MANUAL_ACCOUNTS,
  MANUAL_ACTIONS,
  MANUAL_NUMBERS,
  SERVICES,
  TARIFF_WEIGHTS,
  TARIFFS,
  type ManualNumber,
  type ServiceCode,
  type TariffFixture,
} from './demo-data';
import { accountPayments, advancePayments, type BilledNumber, type PaymentPlan, usageRecords, type UsagePlan } from './history';
import { Random, randomBin, randomIccid, randomImei, randomMsisdn, randomPins, withLuhn } from './random';

export interface CompanyPlan {
  key: string;
  bin: string;
  name: string;
  parentKey: string | null;
  registrationBase: string;
}

export interface AccountPlan {
  accountNo: string;
  companyKey: string;
  paymentMethod: PaymentMethod;
  creditLimit: number;
}

export interface SimPlan {
  iccid: string;
  pin1: string;
  pin2: string;
  puk1: string;
  puk2: string;
  installedAt: Date;
  replacedAt: Date | null;
  retiredAt: Date | null;
}

export interface NumberPlan {
  msisdn: string;
  companyKey: string;
  account: AccountPlan;
  tariff: TariffFixture;
  state: NumberState;
  stateChangedAt: Date;
  activatedAt: Date;
  balance: number;
  availableFunds: number;
  individualLimit: number | null;
  registrationForm: string;
  roamingDebt: number | null;
  smsUssdBan: boolean;
  lastImei: string | null;
  /** Retired cards first, the current one last. */
  sims: SimPlan[];
  devices: { imei: string; registeredAt: Date }[];
  services: { code: ServiceCode; connectedAt: Date }[];
  forwardings: { condition: ForwardingCondition; target: string; setAt: Date }[];
  bonusAvailable: Map<string, number>;
  usageCount: number;
  lastPayment?: ManualNumber['lastPayment'];
}

export interface ActionPlan {
  companyKey: string;
  msisdn: string | null;
  action: string;
  details: Record<string, string>;
  status: 'IN_PROCESS' | 'SUCCESS' | 'FAILURE';
  actorName: string;
  actorPhone: string | null;
  clientAddress: string | null;
  createdAt: Date;
}

const DAY_MS = 86_400_000;
const SERVICE_BY_CODE = new Map(SERVICES.map((s) => [s.code, s]));
const TARIFF_BY_CODE = new Map(TARIFFS.map((t) => [t.code, t]));

/** Everything the demo seed inserts, computed before touching the database. */
export interface DemoPlan {
  /** Validity of this month's allowances: the first of the month to the first of the next. */
  validFrom: string;
  validTo: string;
  companies: CompanyPlan[];
  accounts: AccountPlan[];
  numbers: NumberPlan[];
  freeSims: Omit<SimPlan, 'installedAt' | 'replacedAt' | 'retiredAt'>[];
  payments: PaymentPlan[];
  usage: { msisdn: string; records: UsagePlan[] }[];
  actions: ActionPlan[];
}

export function planDemo(clock: Clock): DemoPlan {
  const rng = new Random(DEMO_SEED);
  const companies = planCompanies(rng.fork('companies'));
  const accounts = planAccounts(rng.fork('accounts'), companies);
  const used = new Set<string>(DEMO_FREE_ICCIDS);
  const numbers = [
    ...MANUAL_NUMBERS.map((fixture) => planManualNumber(fixture, accounts, clock, rng.fork(`manual ${fixture.msisdn}`), used)),
    ...planGeneratedNumbers(rng.fork('numbers'), clock, companies, accounts, used),
  ];
  const usage = planUsage(rng.fork('usage'), clock, numbers);
  return {
    validFrom: clock.currentMonthStart,
    validTo: clock.nextMonthStart,
    companies,
    accounts,
    numbers,
    freeSims: planFreeSims(rng.fork('free sims'), used),
    payments: planPayments(rng.fork('payments'), clock, numbers, accounts, usage),
    usage,
    actions: planActions(rng.fork('actions'), clock, companies, numbers),
  };
}

export function companyName(rng: Random, suffix = ''): string {
  const form = rng.pick(COMPANY_NAME_PARTS.forms);
  return `${form} «${rng.pick(COMPANY_NAME_PARTS.first)} ${rng.pick(COMPANY_NAME_PARTS.second)}${suffix}»`;
}

function planCompanies(rng: Random): CompanyPlan[] {
  const companies: CompanyPlan[] = [
    { key: 'HEAD', bin: HEAD_COMPANY.bin, name: HEAD_COMPANY.name, parentKey: null, registrationBase: HEAD_COMPANY.registrationBase },
    { key: 'BRANCH', bin: BRANCH_COMPANY.bin, name: BRANCH_COMPANY.name, parentKey: 'HEAD', registrationBase: BRANCH_COMPANY.registrationBase },
  ];
  const names = new Set<string>();
  while (companies.length < GENERATED_COMPANIES + 2) {
    const name = companyName(rng);
    if (names.has(name)) continue;
    names.add(name);
    companies.push({
      key: `GEN${companies.length - 1}`,
      bin: randomBin(rng),
      name,
      parentKey: null,
      registrationBase: `3000${rng.digits(8)}`,
    });
  }
  return companies;
}

function randomCreditLimit(rng: Random): number {
  return rng.int(20, 300) * 100_000;
}

function planAccounts(rng: Random, companies: readonly CompanyPlan[]): AccountPlan[] {
  const accounts: AccountPlan[] = MANUAL_ACCOUNTS.map((a) => ({
    accountNo: a.accountNo,
    companyKey: a.company,
    paymentMethod: a.paymentMethod,
    creditLimit: a.creditLimit,
  }));
  const taken = new Set(accounts.map((a) => a.accountNo));
  for (const company of companies) {
    const count = company.key === 'BRANCH' ? 2 : 6;
    for (let i = 0; i < count; i++) {
      let accountNo: string;
      do accountNo = `25${rng.digits(6)}`;
      while (taken.has(accountNo));
      taken.add(accountNo);
      const paymentMethod: PaymentMethod = i % 2 === 0 ? 'CREDIT' : 'ADVANCE';
      accounts.push({ accountNo, companyKey: company.key, paymentMethod, creditLimit: paymentMethod === 'CREDIT' ? randomCreditLimit(rng) : 0 });
    }
  }
  return accounts;
}

function manualTime(value: ManualNumber['stateChangedAt'], clock: Clock): Date {
  return typeof value === 'string' ? almatyTime(value) : clock.dayAt(value.daysAgo, value.time ?? '11:00:00');
}

function planManualNumber(fixture: ManualNumber, accounts: readonly AccountPlan[], clock: Clock, rng: Random, used: Set<string>): NumberPlan {
  used.add(fixture.msisdn);
  const account = accounts.find((a) => a.accountNo === fixture.accountNo);
  const tariff = TARIFF_BY_CODE.get(fixture.tariff);
  if (!account || !tariff) throw new Error(`Bad demo fixture ${fixture.msisdn}`);
  const stateChangedAt = manualTime(fixture.stateChangedAt, clock);
  const replacedAt = fixture.sim?.replacedAt ? almatyTime(fixture.sim.replacedAt) : null;
  const earliest = Math.min(stateChangedAt.getTime(), replacedAt?.getTime() ?? Infinity, clock.day(420).getTime());
  const activatedAt = new Date(earliest - 180 * DAY_MS);

  const replacement = MANUAL_ACTIONS.find((a) => a.msisdn === fixture.msisdn && a.action === 'REPLACE_SIM' && a.status === 'SUCCESS');
  const sims: SimPlan[] = [];
  const current = fixture.sim
    ? { ...fixture.sim, iccid: withLuhn(fixture.sim.iccid, 20) }
    : { ...randomPins(rng), iccid: replacement?.details.iccid ?? uniqueIccid(rng, used) };
  used.add(current.iccid);
  const currentReplacedAt = replacedAt ?? (replacement ? clock.dayAt(replacement.daysAgo, replacement.time) : null);
  if (currentReplacedAt) {
    sims.push({ ...randomPins(rng), iccid: uniqueIccid(rng, used), installedAt: activatedAt, replacedAt: null, retiredAt: currentReplacedAt });
  }
  sims.push({
    iccid: current.iccid,
    pin1: current.pin1,
    pin2: current.pin2,
    puk1: current.puk1,
    puk2: current.puk2,
    installedAt: currentReplacedAt ?? activatedAt,
    replacedAt: currentReplacedAt,
    retiredAt: null,
  });

  const lastImei = fixture.imei ? withLuhn(fixture.imei, 15) : randomImei(rng);
  const services = fixture.services.map((code) => {
    const action = MANUAL_ACTIONS.find((a) => a.msisdn === fixture.msisdn && a.action === 'CONNECT_SERVICE' && a.details.service === code);
    const connectedAt = action
      ? clock.dayAt(action.daysAgo, action.time)
      : code === 'SMART_ROAMING'
        ? clock.dayAt(rng.int(10, 60), '09:30:00')
        : clock.day(rng.int(120, 400), rng.int(9 * 3600, 18 * 3600));
    return { code, connectedAt };
  });

  return {
    msisdn: fixture.msisdn,
    companyKey: fixture.company,
    account,
    tariff,
    state: fixture.state,
    stateChangedAt,
    activatedAt,
    balance: fixture.balance,
    availableFunds: fixture.availableFunds,
    individualLimit: fixture.individualLimit ?? null,
    registrationForm: fixture.registrationForm,
    roamingDebt: fixture.roamingDebt ?? null,
    smsUssdBan: fixture.smsUssdBan ?? false,
    lastImei,
    sims,
    devices: fixture.imeiRegistered ? [{ imei: lastImei, registeredAt: new Date(sims[sims.length - 1].installedAt.getTime() + 3_600_000) }] : [],
    services,
    forwardings: (fixture.forwardings ?? []).map((f) => ({ ...f, setAt: clock.day(rng.int(5, 90), rng.int(9 * 3600, 18 * 3600)) })),
    bonusAvailable: new Map(Object.entries(fixture.bonusAvailable ?? {})),
    usageCount: fixture.tariff === 'M2M' ? 200 : 300,
    lastPayment: fixture.lastPayment,
  };
}

function uniqueIccid(rng: Random, used: Set<string>): string {
  for (;;) {
    // Issue digit 9 is left to the bulk seed's sequential range.
    const iccid = randomIccid(rng, String(rng.int(0, 8)));
    if (!used.has(iccid)) {
      used.add(iccid);
      return iccid;
    }
  }
}

function uniqueMsisdn(rng: Random, used: Set<string>): string {
  for (;;) {
    const msisdn = randomMsisdn(rng);
    if (!used.has(msisdn)) {
      used.add(msisdn);
      return msisdn;
    }
  }
}

function planGeneratedNumbers(rng: Random, clock: Clock, companies: readonly CompanyPlan[], accounts: readonly AccountPlan[], used: Set<string>): NumberPlan[] {
  const plans: NumberPlan[] = [];
  for (const company of companies) {
    const companyAccounts = accounts.filter((a) => a.companyKey === company.key && !MANUAL_NUMBERS.some((n) => n.accountNo === a.accountNo));
    const companyPlans: NumberPlan[] = [];
    for (let i = 0; i < GENERATED_NUMBERS_PER_COMPANY; i++) {
      const account = rng.pick(companyAccounts);
      const tariff = TARIFF_BY_CODE.get(rng.weighted(TARIFF_WEIGHTS)) ?? TARIFFS[0];
      const msisdn = uniqueMsisdn(rng, used);
      const credit = account.paymentMethod === 'CREDIT';
      const state: NumberState = rng.weighted<NumberState>([
        ['ACTIVE', 85],
        ['BLOCKED', 9],
        ['BLOCKED_DEBT', credit ? 6 : 0],
      ]);
      const activatedAt = clock.day(rng.int(130, 1500), rng.int(9 * 3600, 19 * 3600));
      // No number is seeded In process: that state exists only while an operation is being carried out.
      const stateChangedAt = state === 'ACTIVE' ? activatedAt : clock.day(rng.int(1, 60), rng.int(8 * 3600, 20 * 3600));
      const individualLimit = credit && rng.chance(0.3) ? rng.int(5, 50) * 100_000 : null;
      const available =
        state === 'BLOCKED_DEBT'
          ? rng.int(0, 50_000)
          : credit
            ? rng.int(0, individualLimit ?? Math.min(account.creditLimit, 2_000_000))
            : rng.int(0, 3_000_000);

      const sims: SimPlan[] = [];
      if (rng.chance(0.12)) {
        const replacedAt = new Date(activatedAt.getTime() + rng.next() * (clock.now.getTime() - activatedAt.getTime() - DAY_MS));
        sims.push({ ...randomPins(rng), iccid: uniqueIccid(rng, used), installedAt: activatedAt, replacedAt: null, retiredAt: replacedAt });
        sims.push({ ...randomPins(rng), iccid: uniqueIccid(rng, used), installedAt: replacedAt, replacedAt, retiredAt: null });
      } else {
        sims.push({ ...randomPins(rng), iccid: uniqueIccid(rng, used), installedAt: activatedAt, replacedAt: null, retiredAt: null });
      }
      const installedAt = sims[sims.length - 1].installedAt;
      const lastImei = rng.chance(0.85) ? randomImei(rng) : null;
      const devices: NumberPlan['devices'] = [];
      if (lastImei && rng.chance(0.3)) {
        const registeredAt = Math.min(installedAt.getTime() + rng.int(1, 400) * 3_600_000, clock.now.getTime() - 3_600_000);
        devices.push({ imei: lastImei, registeredAt: new Date(registeredAt) });
      }
      if (rng.chance(0.05)) devices.push({ imei: randomImei(rng), registeredAt: new Date(activatedAt.getTime() + rng.int(1, 100) * 3_600_000) });

      const services = rng
        .sample(
          tariff.services,
          rng.weighted([
            [0, 2],
            [1, 4],
            [2, 3],
            [3, 1],
          ]),
        )
        .map((code) => ({
          code,
          connectedAt:
            code === 'SMART_ROAMING'
              ? clock.day(rng.int(1, 85), rng.int(8 * 3600, 20 * 3600))
              : new Date(activatedAt.getTime() + rng.next() * (clock.now.getTime() - activatedAt.getTime() - DAY_MS)),
        }));
      const roaming = services.some((s) => s.code === 'ROAMING' || s.code === 'SMART_ROAMING' || s.code === 'KCELL_TRAVEL');

      const bonusAvailable = new Map<string, number>();
      for (const bonus of tariff.bonuses) bonusAvailable.set(bonus.kind, rng.int(0, bonus.total));

      companyPlans.push({
        msisdn,
        companyKey: company.key,
        account,
        tariff,
        state,
        stateChangedAt,
        activatedAt,
        balance: available,
        availableFunds: available,
        individualLimit,
        registrationForm: `${company.registrationBase}-${(company.key === 'BRANCH' ? 300 : 200) + i}`,
        roamingDebt: roaming && rng.chance(0.3) ? rng.int(1_000, 500_000) : null,
        smsUssdBan: rng.chance(0.15),
        lastImei,
        sims,
        devices,
        services,
        forwardings: [],
        bonusAvailable,
        usageCount: rng.int(20, 60),
      });
    }
    for (const plan of companyPlans) {
      if (!rng.chance(0.1)) continue;
      const conditions = rng.sample<ForwardingCondition>(['ALWAYS', 'BUSY', 'NO_ANSWER', 'UNREACHABLE'], rng.int(1, 2));
      const target = rng.chance(0.7) ? rng.pick(companyPlans.filter((p) => p !== plan)).msisdn : randomMsisdn(rng);
      plan.forwardings = conditions.map((condition) => ({ condition, target, setAt: clock.day(rng.int(1, 200), rng.int(8 * 3600, 20 * 3600)) }));
    }
    plans.push(...companyPlans);
  }
  return plans;
}

function planFreeSims(rng: Random, used: Set<string>): DemoPlan['freeSims'] {
  const iccids: string[] = [...DEMO_FREE_ICCIDS];
  while (iccids.length < FREE_SIM_STOCK) iccids.push(uniqueIccid(rng, used));
  return iccids.map((iccid) => ({ iccid, ...randomPins(rng) }));
}

function planPayments(rng: Random, clock: Clock, numbers: readonly NumberPlan[], accounts: readonly AccountPlan[], usage: DemoPlan['usage']): PaymentPlan[] {
  const usageOf = new Map(usage.map((u) => [u.msisdn, u.records]));
  const billed = (n: NumberPlan): BilledNumber => ({
    msisdn: n.msisdn,
    tariff: n.tariff,
    serviceFees: n.services.flatMap((s) => {
      const service = SERVICE_BY_CODE.get(s.code);
      return service && service.monthlyFee > 0 ? [{ code: service.code, name: service.name.en, fee: service.monthlyFee, since: s.connectedAt }] : [];
    }),
    usage: usageOf.get(n.msisdn) ?? [],
    roams: n.roamingDebt !== null || n.services.some((s) => s.code === 'ROAMING'),
  });
  const payments: PaymentPlan[] = [];
  for (const n of numbers) {
    if (n.account.paymentMethod !== 'ADVANCE') continue;
    payments.push(...advancePayments(rng, clock, { ...billed(n), accountNo: n.account.accountNo, balance: n.balance, lastPayment: n.lastPayment }));
  }
  for (const account of accounts) {
    if (account.paymentMethod !== 'CREDIT') continue;
    const onAccount = numbers.filter((n) => n.account === account);
    if (onAccount.length === 0) continue;
    const inDebt = onAccount.some((n) => n.state === 'BLOCKED_DEBT');
    payments.push(...accountPayments(rng, clock, { accountNo: account.accountNo, numbers: onAccount.map(billed), inDebt }));
  }
  return payments.sort((a, b) => a.paidAt.getTime() - b.paidAt.getTime() || a.sequence - b.sequence);
}

function planUsage(rng: Random, clock: Clock, numbers: readonly NumberPlan[]): DemoPlan['usage'] {
  return numbers.map((n) => {
    const blocked = n.state === 'BLOCKED' || n.state === 'BLOCKED_DEBT';
    const records = usageRecords(rng.fork(n.msisdn), clock, {
      count: n.usageCount,
      since: n.activatedAt,
      outgoingUntil: blocked ? n.stateChangedAt : null,
      m2m: n.tariff.code === 'M2M',
    });
    return { msisdn: n.msisdn, records };
  });
}

const LOOKUP_ACTIONS = ['VIEW_PAYMENT_HISTORY', 'VIEW_USAGE', 'SEND_SECRET_CODE', 'DELETE_SECRET_CODE'] as const;
const ACTION_HISTORY_DAYS = 120;

function clientAddress(rng: Random): string | null {
  return rng.chance(0.1) ? null : `${rng.pick(['203.0.113', '198.51.100', '192.0.2'])}.${rng.int(1, 254)}`;
}

/**
 * The manuals' history for TOO Кабинет, plus, for generated numbers, one entry per change the seed made in the
 * last 120 days (so the log agrees with the data) and some look-ups and failed attempts that changed nothing.
 */
function planActions(rng: Random, clock: Clock, companies: readonly CompanyPlan[], numbers: readonly NumberPlan[]): ActionPlan[] {
  const actions: ActionPlan[] = MANUAL_ACTIONS.map((a) => ({
    companyKey: 'HEAD',
    msisdn: a.msisdn,
    action: a.action,
    details: a.details,
    status: a.status,
    actorName: a.actor.name,
    actorPhone: a.actor.phone,
    clientAddress: clientAddress(rng),
    createdAt: clock.dayAt(a.daysAgo, a.time),
  }));
  const since = clock.day(ACTION_HISTORY_DAYS);
  const manual = new Set(MANUAL_NUMBERS.map((n) => n.msisdn));
  for (const company of companies) {
    const companyNumbers = numbers.filter((n) => n.companyKey === company.key && !manual.has(n.msisdn));
    const admins = rng.sample(ADMIN_NAMES, 2).map((name) => ({ name, phone: randomMsisdn(rng, ['701', '702']) }));
    const log = (number: NumberPlan, action: string, details: Record<string, string>, createdAt: Date, status: ActionPlan['status'] = 'SUCCESS'): void => {
      if (createdAt < since) return;
      const admin = rng.pick(admins);
      actions.push({
        companyKey: company.key,
        msisdn: number.msisdn,
        action,
        details: { msisdn: number.msisdn, ...details },
        status,
        actorName: admin.name,
        actorPhone: admin.phone,
        clientAddress: clientAddress(rng),
        createdAt,
      });
    };
    for (const number of companyNumbers) {
      if (number.state === 'BLOCKED') log(number, 'BLOCK_NUMBER', {}, number.stateChangedAt);
      for (const sim of number.sims) {
        if (sim.replacedAt) log(number, 'REPLACE_SIM', { iccid: sim.iccid }, sim.replacedAt);
      }
      for (const service of number.services) log(number, 'CONNECT_SERVICE', { service: service.code }, service.connectedAt);
      for (const f of number.forwardings) log(number, 'SET_CALL_FORWARDING', { condition: f.condition, target: f.target }, f.setAt);
      for (const device of number.devices) log(number, 'REGISTER_DEVICE', { imei: device.imei }, device.registeredAt);
    }
    for (let i = rng.int(8, 15); i > 0; i--) {
      const number = rng.pick(companyNumbers);
      const createdAt = clock.day(rng.int(1, 60), rng.int(8 * 3600, 20 * 3600));
      const available = number.tariff.services.filter((code) => !number.services.some((s) => s.code === code));
      if (rng.chance(0.2) && available.length > 0) {
        log(number, 'CONNECT_SERVICE', { service: rng.pick(available), error: 'Billing system timeout' }, createdAt, 'FAILURE');
      } else {
        log(number, rng.pick(LOOKUP_ACTIONS), {}, createdAt);
      }
    }
  }
  return actions.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
