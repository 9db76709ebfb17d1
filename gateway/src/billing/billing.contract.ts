/// <reference types="jest" />
import type { RequestDb } from '../core/db';
import type { BillingPort } from './billing.port';

/** A billing system to check, holding the demo company: what an adapter's test gives `billingContract`. */
export interface BillingContractSetup {
  billing: BillingPort;
  /** What the adapter is handed as the request's handle. */
  session: RequestDb;
  /** Runs `fn` with the handle of one transaction, as documents are written. */
  transaction<T>(fn: (db: RequestDb) => Promise<T>): Promise<T>;
  /** The BIN of a company with branches, accounts, and numbers that have payments, usage and allowances. */
  companyBin: string;
  close(): Promise<void>;
}

/** Keys no billing system holds. */
const MISSING = { id: -1, msisdn: '00000000000', bin: '000000000000', code: 'NO_SUCH_SERVICE' };
const ALL_TIME = { from: '2000-01-01', to: '2100-12-31' };

const ids = (rows: readonly ({ id: number } | null)[]) => rows.map((row) => row?.id ?? null);

/**
 * What every billing adapter must do for the gateway: batch reads answer in key order with null (or []) where a key
 * has nothing; lists page by their cursors without gaps or repeats; operations submitted are carried out.
 */
export function billingContract(name: string, setup: () => Promise<BillingContractSetup>): void {
  describe(`billing adapter contract: ${name}`, () => {
    let s: BillingContractSetup;
    let companyId: number;
    let numberIds: number[];

    beforeAll(async () => {
      s = await setup();
      const [company] = await s.billing.companiesByBin(s.session, [s.companyBin]);
      if (!company) throw new Error(`the billing system under test holds no company with BIN ${s.companyBin}`);
      companyId = company.id;
      numberIds = (await s.billing.listNumbers(s.session, { companyId, search: null, state: null, afterMsisdn: null, limit: 1000 })).map((n) => n.id);
    });
    afterAll(() => s?.close());

    const someNumbers = () => [numberIds[2], MISSING.id, numberIds[0], numberIds[1]];

    it('answers numbers by id in key order, null for a missing one', async () => {
      const keys = someNumbers();
      expect(ids(await s.billing.numbers(s.session, keys))).toEqual([keys[0], null, keys[2], keys[3]]);
    });

    it('answers numbers by id with their very account and tariff rows, in key order, null for a missing one', async () => {
      const keys = someNumbers();
      const numbers = await s.billing.numbers(s.session, keys);
      const withAccounts = await s.billing.numbersWithAccounts(s.session, keys);
      expect(withAccounts.map((row) => row && { ...row, account: undefined, tariff: undefined })).toEqual(numbers);
      const accounts = await s.billing.accounts(
        s.session,
        numbers.map((n) => n?.accountId ?? MISSING.id),
      );
      const tariffs = await s.billing.tariffs(
        s.session,
        numbers.map((n) => n?.tariffId ?? MISSING.id),
      );
      expect(withAccounts.map((row) => row?.account ?? null)).toEqual(accounts);
      expect(withAccounts.map((row) => row?.tariff ?? null)).toEqual(tariffs);
    });

    it('answers numbers by MSISDN in key order, null for a missing one', async () => {
      const numbers = await s.billing.numbers(s.session, [numberIds[1], numberIds[0]]);
      const msisdns = [numbers[0]!.msisdn, MISSING.msisdn, numbers[1]!.msisdn];
      expect(ids(await s.billing.numbersByMsisdn(s.session, msisdns))).toEqual([numberIds[1], null, numberIds[0]]);
    });

    it('answers every per-number batch in key order, as each number alone, with nothing for a missing one', async () => {
      const keys = someNumbers();
      const batches = [
        (k: readonly number[]) => s.billing.simCards(s.session, k),
        (k: readonly number[]) => s.billing.simCodes(s.session, k),
        (k: readonly number[]) => s.billing.devices(s.session, k),
        (k: readonly number[]) => s.billing.forwardings(s.session, k),
        (k: readonly number[]) => s.billing.allowances(s.session, k),
        (k: readonly number[]) => s.billing.connectedServices(s.session, k),
        (k: readonly number[]) => s.billing.payments(s.session, k, { ...ALL_TIME, limit: 5, after: null }),
        (k: readonly number[]) => s.billing.usage(s.session, k, { ...ALL_TIME, type: null, limit: 5, after: null }),
        (k: readonly number[]) => s.billing.usageTotals(s.session, k, ALL_TIME),
        (k: readonly number[]) => s.billing.tariffChoices(s.session, k),
      ];
      const perKey = [];
      for (const batch of batches) {
        const answers: unknown[] = await batch(keys);
        expect(answers).toHaveLength(keys.length);
        expect([null, []]).toContainEqual(answers[1]);
        const alone = await Promise.all(keys.map(async (key) => (await batch([key]))[0]));
        expect(answers).toEqual(alone);
        perKey.push(answers);
      }
      const [simCards, simCodes, devices, forwardings, allowances, services, payments, usage, totals, choices] = perKey as [
        Awaited<ReturnType<BillingPort['simCards']>>,
        Awaited<ReturnType<BillingPort['simCodes']>>,
        Awaited<ReturnType<BillingPort['devices']>>,
        Awaited<ReturnType<BillingPort['forwardings']>>,
        Awaited<ReturnType<BillingPort['allowances']>>,
        Awaited<ReturnType<BillingPort['connectedServices']>>,
        Awaited<ReturnType<BillingPort['payments']>>,
        Awaited<ReturnType<BillingPort['usage']>>,
        Awaited<ReturnType<BillingPort['usageTotals']>>,
        Awaited<ReturnType<BillingPort['tariffChoices']>>,
      ];
      for (const [i, key] of keys.entries()) {
        const rows = [simCards[i], simCodes[i], totals[i], ...devices[i], ...forwardings[i], ...allowances[i], ...payments[i], ...usage[i], ...choices[i]];
        for (const row of rows) if (row !== null) expect(row.numberId).toBe(key);
        for (const service of services[i]) expect(service.key).toBe(key);
      }
      expect(simCards[0]?.iccid).toMatch(/^\d{20}$/);
      expect(simCodes[0]?.iccid).toBe(simCards[0]?.iccid);
    });

    it('answers tariffs, tariff services and services by code in key order', async () => {
      const numbers = await s.billing.numbers(s.session, numberIds);
      const tariffIds = [...new Set(numbers.map((n) => n!.tariffId))];
      const keys = [tariffIds[tariffIds.length - 1], MISSING.id, tariffIds[0]];
      expect(ids(await s.billing.tariffs(s.session, keys))).toEqual([keys[0], null, keys[2]]);
      const services = await s.billing.tariffServices(s.session, keys);
      expect(services[1]).toEqual([]);
      const codes = services.flat().map((service) => service.code);
      expect(codes.length).toBeGreaterThan(1);
      const byCode = await s.billing.servicesByCode(s.session, [codes[1], MISSING.code, codes[0]]);
      expect(byCode.map((service) => service?.code ?? null)).toEqual([codes[1], null, codes[0]]);
    });

    it('answers the tariff plans a number may move to: its company’s, but its own, cheapest first', async () => {
      const numbers = await s.billing.numbers(s.session, numberIds);
      const choices = await s.billing.tariffChoices(s.session, numberIds);
      expect(choices.some((plans) => plans.length > 0)).toBe(true);
      for (const [i, plans] of choices.entries()) {
        expect(plans.map((plan) => plan.id)).not.toContain(numbers[i]!.tariffId);
        const fees = plans.map((plan) => BigInt(plan.monthlyFee));
        expect(fees).toEqual([...fees].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    });

    it('answers several per-key reads in one call as each of their methods answers them', async () => {
      const numbers = await s.billing.numbers(s.session, numberIds);
      const tariffIds = [...new Set(numbers.map((n) => n!.tariffId)), MISSING.id].reverse();
      const keys = [MISSING.id, ...[...numberIds].reverse()];
      const requests = [
        { part: 'simCards', keys },
        { part: 'devices', keys },
        { part: 'forwardings', keys },
        { part: 'allowances', keys },
        { part: 'connectedServices', keys },
        { part: 'tariffServices', keys: tariffIds },
        // The same read twice, for other keys: each request is answered for its own.
        { part: 'devices', keys: someNumbers() },
      ] as const;
      const together = await s.billing.numberParts(s.session, requests);
      const alone = await Promise.all(requests.map(({ part, keys }) => s.billing[part](s.session, keys)));
      expect(together).toEqual(alone);
      // What the comparison covers: rows of every read, several for one key, timestamps.
      for (const answer of alone.slice(0, 6)) expect(answer.flat().filter((row) => row !== null).length).toBeGreaterThan(1);
      const devices = alone[1] as Awaited<ReturnType<BillingPort['devices']>>;
      expect(devices.some((rows) => rows.length > 1)).toBe(true);
      expect(devices.flat()[0].registeredAt).toBeInstanceOf(Date);
      expect(await s.billing.numberParts(s.session, [])).toEqual([]);
    });

    it('answers SIM cards by ICCID in key order, null for a missing one', async () => {
      const cards = await s.billing.simCards(s.session, [numberIds[1], numberIds[0]]);
      const iccids = [cards[0]!.iccid, '00000000000000000000', cards[1]!.iccid];
      const byIccid = await s.billing.simCardsByIccid(s.session, iccids);
      expect(byIccid.map((card) => card?.iccid ?? null)).toEqual([iccids[0], null, iccids[2]]);
      expect(byIccid.map((card) => card?.numberId ?? null)).toEqual([numberIds[1], null, numberIds[0]]);
      expect(byIccid[0]!.retiredAt).toBeNull();
    });

    it('answers how each number stands to each service in key order, null for a missing service or number', async () => {
      const [number] = await s.billing.numbers(s.session, [numberIds[0]]);
      const [offered] = await s.billing.tariffServices(s.session, [number!.tariffId]);
      const [connected] = await s.billing.connectedServices(s.session, [number!.id]);
      const [service] = await s.billing.servicesByCode(s.session, [offered[0].code]);
      const keys = [
        ...offered.map((o) => ({ numberId: number!.id, serviceId: o.id })),
        { numberId: number!.id, serviceId: MISSING.id },
        { numberId: MISSING.id, serviceId: service!.id },
      ];
      const rows = await s.billing.numberServices(s.session, keys);
      expect(rows.slice(-2)).toEqual([null, null]);
      expect(rows.slice(0, offered.length).map((row) => [row?.numberId, row?.serviceId, row?.code, row?.allowed, row?.connected])).toEqual(
        offered.map((o) => [number!.id, o.id, o.code, true, connected.some((c) => c.id === o.id)]),
      );
      const reversed = await s.billing.numberServices(s.session, [...keys].reverse());
      expect(reversed).toEqual([...rows].reverse());
    });

    it('answers companies, branches and accounts in key order', async () => {
      const [company] = await s.billing.companies(s.session, [companyId]);
      expect(company?.bin).toBe(s.companyBin);
      const [branches, none] = await s.billing.branches(s.session, [companyId, MISSING.id]);
      expect(none).toEqual([]);
      expect(branches.length).toBeGreaterThan(0);
      for (const branch of branches) expect(branch.parentId).toBe(companyId);
      const keys = [branches[0].id, MISSING.id, companyId];
      expect(ids(await s.billing.companies(s.session, keys))).toEqual([keys[0], null, keys[2]]);
      expect(ids(await s.billing.companiesByBin(s.session, [MISSING.bin, s.companyBin]))).toEqual([null, companyId]);
      const accountIds = [...new Set((await s.billing.numbers(s.session, numberIds)).map((n) => n!.accountId))];
      const accounts = await s.billing.accounts(s.session, [accountIds[1], MISSING.id, accountIds[0]]);
      expect(ids(accounts)).toEqual([accountIds[1], null, accountIds[0]]);
      expect(accounts[0]?.companyId).toBe(companyId);
    });

    it('lists the granted companies that exist, by name', async () => {
      const listed = await s.billing.listCompanies(s.session, [companyId, MISSING.id]);
      expect(ids(listed)).toEqual([companyId]);
    });

    it('pages through a company’s numbers in MSISDN order without gaps or repeats', async () => {
      const all = await s.billing.listNumbers(s.session, { companyId, search: null, state: null, afterMsisdn: null, limit: 1000 });
      const msisdns = all.map((n) => n.msisdn);
      expect(msisdns).toEqual([...msisdns].sort());
      expect(new Set(all.map((n) => n.companyId))).toEqual(new Set([companyId]));
      const paged: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages <= msisdns.length; pages++) {
        const page = await s.billing.listNumbers(s.session, { companyId, search: null, state: null, afterMsisdn: after, limit: 7 });
        paged.push(...page.map((n) => n.msisdn));
        if (page.length < 7) break;
        after = page[page.length - 1].msisdn;
      }
      expect(paged).toEqual(msisdns);
    });

    it('searches a company’s numbers by digits anywhere, a full number exactly, and by state', async () => {
      const all = await s.billing.listNumbers(s.session, { companyId, search: null, state: null, afterMsisdn: null, limit: 1000 });
      const digits = all[3].msisdn.slice(4, 8);
      const found = await s.billing.listNumbers(s.session, { companyId, search: digits, state: null, afterMsisdn: null, limit: 1000 });
      expect(found.map((n) => n.msisdn)).toEqual(all.filter((n) => n.msisdn.includes(digits)).map((n) => n.msisdn));
      const exact = await s.billing.listNumbers(s.session, { companyId, search: all[3].msisdn, state: null, afterMsisdn: null, limit: 1000 });
      expect(exact.map((n) => n.id)).toEqual([all[3].id]);
      const state = all[0].state;
      const inState = await s.billing.listNumbers(s.session, { companyId, search: null, state, afterMsisdn: null, limit: 1000 });
      expect(inState.map((n) => n.id)).toEqual(all.filter((n) => n.state === state).map((n) => n.id));
    });

    it('gives a page of numbers with the very account and tariff rows that accounts and tariffs give, each once', async () => {
      for (const filter of [
        { search: null, state: null, afterMsisdn: null, limit: 1000 },
        { search: null, state: null, afterMsisdn: null, limit: 3 },
      ]) {
        const plain = await s.billing.listNumbers(s.session, { companyId, ...filter });
        const page = await s.billing.listNumbersWithAccounts(s.session, { companyId, ...filter });
        expect(page.map(({ account: _a, tariff: _t, ...number }) => number)).toEqual(plain);
        const accounts = await s.billing.accounts(s.session, [...new Set(plain.map((n) => n.accountId))]);
        const tariffs = await s.billing.tariffs(s.session, [...new Set(plain.map((n) => n.tariffId))]);
        // Each account and tariff once, with the first row that names it (the whole company shares accounts).
        if (filter.limit === 1000) expect(page.filter((row) => row.account === null).length).toBeGreaterThan(0);
        page.forEach((row, i) => {
          const firstOfAccount = page.findIndex((r) => r.accountId === row.accountId) === i;
          const firstOfTariff = page.findIndex((r) => r.tariffId === row.tariffId) === i;
          expect(row.account).toEqual(firstOfAccount ? accounts.find((a) => a?.id === row.accountId) : null);
          expect(row.tariff).toEqual(firstOfTariff ? tariffs.find((t) => t?.id === row.tariffId) : null);
        });
      }
    });

    it('pages through a company’s accounts in account-number order', async () => {
      const all = await s.billing.listAccounts(s.session, companyId, 1000, null);
      expect(all.length).toBeGreaterThan(1);
      const first = await s.billing.listAccounts(s.session, companyId, 1, null);
      const rest = await s.billing.listAccounts(s.session, companyId, 1000, first[0].accountNo);
      expect([...first, ...rest].map((a) => a.accountNo)).toEqual(all.map((a) => a.accountNo));
    });

    it('pages through a number’s payments and usage newest first, each page after its cursor', async () => {
      const payments = await s.billing.payments(s.session, numberIds, { ...ALL_TIME, limit: 1000, after: null });
      const usage = await s.billing.usage(s.session, numberIds, { ...ALL_TIME, type: null, limit: 1000, after: null });
      const withPayments = payments.findIndex((rows) => rows.length > 3);
      const withUsage = usage.findIndex((rows) => rows.length > 3);
      expect(withPayments).toBeGreaterThanOrEqual(0);
      expect(withUsage).toBeGreaterThanOrEqual(0);

      const allPayments = payments[withPayments].map((p) => p.id);
      const [firstPayments] = await s.billing.payments(s.session, [numberIds[withPayments]], { ...ALL_TIME, limit: 2, after: null });
      const last = firstPayments[1];
      const [nextPayments] = await s.billing.payments(s.session, [numberIds[withPayments]], {
        ...ALL_TIME,
        limit: 2,
        after: [new Date(last.paidAt).toISOString(), last.id],
      });
      expect([...firstPayments, ...nextPayments].map((p) => p.id)).toEqual(allPayments.slice(0, 4));

      const allUsage = usage[withUsage].map((u) => u.id);
      const times = usage[withUsage].map((u) => new Date(u.startedAt).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const [firstUsage] = await s.billing.usage(s.session, [numberIds[withUsage]], { ...ALL_TIME, type: null, limit: 2, after: null });
      const lastUsage = firstUsage[1];
      const [nextUsage] = await s.billing.usage(s.session, [numberIds[withUsage]], {
        ...ALL_TIME,
        type: null,
        limit: 2,
        after: [new Date(lastUsage.startedAt).toISOString(), lastUsage.id],
      });
      expect([...firstUsage, ...nextUsage].map((u) => u.id)).toEqual(allUsage.slice(0, 4));
    });

    it('totals a number’s usage as its records add up', async () => {
      const usage = await s.billing.usage(s.session, numberIds, { ...ALL_TIME, type: null, limit: 100_000, after: null });
      const i = usage.findIndex((rows) => rows.length > 0);
      const [totals] = await s.billing.usageTotals(s.session, [numberIds[i]], ALL_TIME);
      expect(totals?.calls).toBe(usage[i].filter((u) => u.type === 'CALL').length);
      expect(totals?.cost).toBe(String(usage[i].reduce((sum, u) => sum + BigInt(u.cost), 0n)));
    });

    it('answers charge months per account and per company, newest first, only ended ones', async () => {
      const accountIds = [...new Set((await s.billing.numbers(s.session, numberIds)).map((n) => n!.accountId))];
      const before = '2100-01';
      const byAccount = await s.billing.chargeMonthsByAccount(s.session, [...accountIds, MISSING.id], before);
      expect(byAccount).toHaveLength(accountIds.length + 1);
      expect(byAccount[accountIds.length]).toEqual([]);
      const [byCompany, none] = await s.billing.chargeMonthsByCompany(s.session, [companyId, MISSING.id], before);
      expect(none).toEqual([]);
      expect(byCompany.length).toBeGreaterThan(0);
      expect(byCompany).toEqual([...byCompany].sort().reverse());
      expect(byCompany).toEqual([...new Set(byAccount.flat())].sort().reverse());
      const [latest] = byCompany;
      const [endedOnly] = await s.billing.chargeMonthsByCompany(s.session, [companyId], latest);
      expect(endedOnly).toEqual(byCompany.slice(1));
    });

    it('streams a document’s lines as the pages and totals show them', async () => {
      const usage = await s.billing.usage(s.session, numberIds, { ...ALL_TIME, type: null, limit: 100_000, after: null });
      const i = usage.findIndex((rows) => rows.length > 3);
      const selection = { numberId: numberIds[i], ...ALL_TIME, type: null };
      const [lines, summary] = await s.transaction(async (db) => {
        const streamed = [];
        for await (const line of s.billing.usageLines(db, selection)) streamed.push(line);
        return [streamed, await s.billing.usageSummary(db, selection)] as const;
      });
      expect(lines.map((line) => new Date(line.startedAt).getTime())).toEqual(usage[i].map((u) => new Date(u.startedAt).getTime()));
      const [totals] = await s.billing.usageTotals(s.session, [numberIds[i]], ALL_TIME);
      expect(summary).toEqual({
        calls: totals!.calls,
        callSeconds: totals!.callSeconds,
        sms: totals!.sms,
        dataKb: totals!.dataKb,
        cost: totals!.cost,
        records: lines.length,
      });

      const listed = await s.billing.listNumbers(s.session, { companyId, search: null, state: null, afterMsisdn: null, limit: 1000 });
      const [numberLines, count] = await s.transaction(async (db) => {
        const streamed = [];
        for await (const line of s.billing.numberLines(db, companyId)) streamed.push(line.msisdn);
        return [streamed, await s.billing.numberCount(db, companyId)] as const;
      });
      expect(numberLines).toEqual(listed.map((n) => n.msisdn));
      expect(count).toBe(listed.length);
    });

    it('holds a number In process only from the state it was seen in, and gives it its state back', async () => {
      const numberId = numberIds[5];
      const [before] = await s.billing.numbers(s.session, [numberId]);
      const other = before!.state === 'ACTIVE' ? 'BLOCKED' : 'ACTIVE';
      expect(await s.billing.holdNumber(s.session, numberId, other)).toBe(false);
      expect(await s.billing.holdNumber(s.session, numberId, before!.state)).toBe(true);
      expect((await s.billing.numbers(s.session, [numberId]))[0]!.state).toBe('IN_PROCESS');
      expect(await s.billing.holdNumber(s.session, numberId, before!.state)).toBe(false);
      await s.billing.releaseNumber(s.session, numberId, before!.state, false);
      const [after] = await s.billing.numbers(s.session, [numberId]);
      expect(after!.state).toBe(before!.state);
      expect(after!.stateChangedAt).toEqual(before!.stateChangedAt);
    });

    it('carries out operations submitted to it, as later reads show', async () => {
      const numberId = numberIds[4];
      const [before] = await s.billing.numbers(s.session, [numberId]);
      const ban = { id: 'contract-1', numberId, kind: 'SET_SMS_USSD_BAN' as const, params: { enabled: !before!.smsUssdBan } };
      await s.billing.processingDelay(s.session, ban);
      expect(await s.billing.apply(s.session, ban)).toEqual({ ok: true });
      const [after] = await s.billing.numbers(s.session, [numberId]);
      expect(after!.smsUssdBan).toBe(!before!.smsUssdBan);

      const imei = '356938035643809';
      const register = { id: 'contract-2', numberId, kind: 'REGISTER_DEVICE' as const, params: { imei } };
      expect(await s.billing.apply(s.session, register)).toEqual({ ok: true });
      const [devices] = await s.billing.devices(s.session, [numberId]);
      expect(devices.map((d) => d.imei)).toContain(imei);
      expect(await s.billing.apply(s.session, { ...register, id: 'contract-3', kind: 'UNREGISTER_DEVICE' })).toEqual({ ok: true });
      const [left] = await s.billing.devices(s.session, [numberId]);
      expect(left.map((d) => d.imei)).not.toContain(imei);
    });
  });
}
