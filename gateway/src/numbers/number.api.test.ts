import { ENGINES, startTestApp, type TestApp } from '../test/app';
import { toGlobalId } from '../core/ids';

const LIST = /* GraphQL */ `
  query Numbers($companyId: ID!, $search: String, $state: NumberState, $first: Int, $after: String) {
    numbers(companyId: $companyId, search: $search, state: $state, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          msisdn
          state
          balance
          availableFunds
          account {
            accountNo
            paymentMethod
            creditLimit
          }
          tariff {
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

const PROFILE = /* GraphQL */ `
  query Profile($id: ID!) {
    number(id: $id) {
      id
      msisdn
      state
      stateChangedAt
      balance
      availableFunds
      individualLimit
      creditLimit
      isM2m
      roamingDebt
      registrationForm
      smsUssdBan
      company {
        id
        bin
        name
      }
      account {
        id
        accountNo
        paymentMethod
        creditLimit
        company {
          bin
        }
      }
      tariff {
        id
        code
        name
      }
      simCard {
        iccid
        replacedAt
      }
      device {
        lastImei
        lastImeiRegistered
        registered {
          imei
          registeredAt
        }
      }
      tariffBalances {
        kind
        unlimited
        available
        total
        unit
        validFrom
        validTo
      }
      bonuses {
        kind
        unlimited
        available
        total
        unit
        validFrom
        validTo
      }
      connectedServices {
        connectedAt
        service {
          id
          code
          category
          name
          description
          monthlyFee
        }
      }
      availableServices {
        category
        services {
          code
          name
        }
      }
      callForwardings {
        condition
        target
        setAt
      }
      payments(first: 5) {
        edges {
          node {
            id
            paidAt
            type
            comment
            amount
            balanceBefore
            balanceAfter
          }
        }
        pageInfo {
          hasNextPage
        }
      }
      usage(first: 5) {
        edges {
          node {
            id
            startedAt
            type
            direction
            otherParty
            durationSeconds
            volumeKb
            cost
          }
        }
        pageInfo {
          hasNextPage
        }
      }
      usageTotals {
        calls
        callSeconds
        sms
        dataKb
        cost
      }
      actions(first: 5) {
        edges {
          node {
            id
            action
            description
            status
            createdAt
            actor {
              name
              phone
            }
            number {
              msisdn
            }
          }
        }
      }
    }
  }
`;

describe.each(ENGINES)('numbers API on %s', (engine) => {
  let t: TestApp;
  let companyId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    const [company] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    companyId = toGlobalId('Company', company.id);
  });
  afterAll(() => t.close());

  const numberId = async (msisdn: string) => {
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE msisdn = $1`, [msisdn]);
    return toGlobalId('Number', row.id);
  };

  it('lists the company’s numbers in number order with account and tariff', async () => {
    const res = await t.gql(LIST, { companyId, first: 100 });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const msisdns = res.data!.numbers.edges.map((e: any) => e.node.msisdn);
    expect(msisdns).toEqual([...msisdns].sort());
    const n6 = res.data!.numbers.edges.find((e: any) => e.node.msisdn === '77010542006').node;
    expect(n6).toMatchObject({
      state: 'ACTIVE',
      availableFunds: '9793.33',
      account: { accountNo: '25060831', paymentMethod: 'CREDIT', creditLimit: '12000.00' },
    });
    const n7 = res.data!.numbers.edges.find((e: any) => e.node.msisdn === '77010542007').node;
    expect(n7.state).toBe('BLOCKED_DEBT');
  });

  it('pages with cursors without gaps or repeats', async () => {
    const all = (await t.gql(LIST, { companyId, first: 100 })).data!.numbers.edges.map((e: any) => e.node.msisdn);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await t.gql(LIST, { companyId, first: 7, after });
      const page = res.data!.numbers;
      seen.push(...page.edges.map((e: any) => e.node.msisdn));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('takes an explicit null cursor as the first page', async () => {
    const res = await t.gql(LIST, { companyId, first: 3, after: null });
    expect(res.errors).toBeUndefined();
    expect(res.data!.numbers.pageInfo.hasPreviousPage).toBe(false);
  });

  it('finds numbers by a full or a partial number', async () => {
    const full = await t.gql(LIST, { companyId, search: '77010542006' });
    expect(full.data!.numbers.edges.map((e: any) => e.node.msisdn)).toEqual(['77010542006']);
    const partial = await t.gql(LIST, { companyId, search: '+7 701 054 200' });
    const found = partial.data!.numbers.edges.map((e: any) => e.node.msisdn);
    expect(found).toEqual(expect.arrayContaining(['77010542001', '77010542003', '77010542006', '77010542007']));
    expect(found.every((m: string) => m.includes('701054200'))).toBe(true);
  });

  it('reads a full number with the national 8 prefix or +7 as the same number', async () => {
    for (const search of ['87010542006', '8 (701) 054-20-06', '+7 701 054 20 06']) {
      const res = await t.gql(LIST, { companyId, search });
      expect(res.errors).toBeUndefined();
      expect(res.data!.numbers.edges.map((e: any) => e.node.msisdn)).toEqual(['77010542006']);
    }
  });

  it('filters by state', async () => {
    const res = await t.gql(LIST, { companyId, state: 'BLOCKED_DEBT', first: 100 });
    const states = res.data!.numbers.edges.map((e: any) => e.node.state);
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(['BLOCKED_DEBT']));
  });

  it('shows every panel of the number profile', async () => {
    const res = await t.gql(PROFILE, { id: await numberId('77010542006') });
    expect(res.errors).toBeUndefined();
    const n = res.data!.number;
    expect(n).toMatchObject({
      msisdn: '77010542006',
      state: 'ACTIVE',
      availableFunds: '9793.33',
      creditLimit: '12000.00',
      isM2m: false,
      roamingDebt: null,
      registrationForm: '300014697190-132',
      account: { accountNo: '25060831', paymentMethod: 'CREDIT', company: { bin: n.company.bin } },
    });
    expect(n.simCard.iccid).toMatch(/^8999702005648306102\d$/);
    expect(n.device.lastImei).toMatch(/^35367807651155\d$/);
    expect(n.tariffBalances).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'ONNET_CALLS', unlimited: true, available: null })]));
    expect(n.bonuses.length).toBeGreaterThan(0);
    for (const bonus of n.bonuses) expect(BigInt(bonus.available)).toBeLessThanOrEqual(BigInt(bonus.total));
    expect(n.tariff.name).toBe('Business Class Junior');
    expect(n.usageTotals.cost).toMatch(/^\d+\.\d{2}$/);
  });

  it('shows the roaming debt of an M2M number', async () => {
    const res = await t.gql(PROFILE, { id: await numberId('77010542001') });
    expect(res.data!.number).toMatchObject({ isM2m: true, roamingDebt: '2338.48', balance: '0.00' });
    const connected = res.data!.number.connectedServices.map((c: any) => c.service.code);
    const available = res.data!.number.availableServices.flatMap((g: any) => g.services.map((s: any) => s.code));
    expect(connected.length).toBeGreaterThan(0);
    expect(available.filter((code: string) => connected.includes(code))).toEqual([]);
  });

  it('gives each service the address of its page on the operator’s site, as the catalogue holds it', async () => {
    const query = `query($id: ID!) { number(id: $id) { availableServices { services { code infoUrl } } } }`;
    const id = await numberId('77010542006');
    const listed = async () => (await t.gql(query, { id })).data!.number.availableServices.flatMap((g: any) => g.services);
    const [first] = await listed();
    const [row] = await t.db.dataSource.query(`SELECT info_url FROM billing.services WHERE code = $1`, [first.code]);
    expect(first.infoUrl).toBe(row.info_url);
    expect(first.infoUrl).toMatch(/^https:\/\//);
    await t.db.dataSource.query(`UPDATE billing.services SET info_url = NULL WHERE code = $1`, [first.code]);
    expect((await listed())[0]).toEqual({ code: first.code, infoUrl: null });
    await t.db.dataSource.query(`UPDATE billing.services SET info_url = $2 WHERE code = $1`, [first.code, row.info_url]);
  });

  it('localizes names to the administrator’s language', async () => {
    const id = await numberId('77010542006');
    const query = `query($id: ID!) { number(id: $id) { tariff { name } availableServices { services { name } } } }`;
    const setLanguage = 'mutation($l: Language!) { setLanguage(language: $l) { language } }';
    const names = async (language: string) => {
      expect((await t.gql(setLanguage, { l: language })).data!.setLanguage.language).toBe(language);
      const res = await t.gql(query, { id });
      return [res.data!.number.tariff.name, res.data!.number.availableServices[0].services[0].name];
    };
    const [ru, kk, en] = [await names('RU'), await names('KK'), await names('EN')];
    expect(ru[0]).toBe('Бизнес Класс Специалист');
    expect(en[0]).toBe('Business Class Junior');
    expect(kk[1]).not.toBe(en[1]);
    expect(ru[1]).not.toBe(en[1]);
  });

  it('refuses a malformed ID naming the argument', async () => {
    const res = await t.gql(PROFILE, { id: 'not-an-id' });
    expect(res.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    const wrongKind = await t.gql(PROFILE, { id: companyId });
    expect(wrongKind.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('answers NOT_FOUND for a number that does not exist', async () => {
    const res = await t.gql(PROFILE, { id: toGlobalId('Number', 999999) });
    expect(res.errors![0].extensions?.code).toBe('NOT_FOUND');
    expect(res.data).toBeNull();
  });

  it('refuses a page size over the cap, a bad cursor, a bad search and an unknown state', async () => {
    const big = await t.gql(LIST, { companyId, first: 101 });
    expect(big.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    const zero = await t.gql(LIST, { companyId, first: 0 });
    expect(zero.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    const cursor = await t.gql(LIST, { companyId, after: 'garbage' });
    expect(cursor.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    // Letters, alone or among digits, are the search field's fault, named so the page can mark it.
    for (const text of ['77a', 'abc']) {
      const search = await t.gql(LIST, { companyId, search: text });
      expect(search.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'search' });
      expect(search.data).toBeNull();
    }
    const state = await t.gql(LIST, { companyId, state: 'SLEEPING' });
    expect(state.status).toBe(200);
    expect(state.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    const company = await t.gql(LIST, { companyId: 'x' });
    expect(company.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'companyId' });
  });

  it('keeps usage details inside the 90-day window', async () => {
    const id = await numberId('77010542006');
    const query = `query($id: ID!, $from: Date, $to: Date) { number(id: $id) { usage(from: $from, to: $to, first: 1) { edges { cursor } } } }`;
    const day = (offset: number) => {
      const d = new Date(Date.now() + 5 * 3600_000);
      d.setUTCDate(d.getUTCDate() + offset);
      return d.toISOString().slice(0, 10);
    };
    expect((await t.gql(query, { id, from: day(-89) })).errors).toBeUndefined();
    expect((await t.gql(query, { id, from: day(-90) })).errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    expect((await t.gql(query, { id, from: day(-3), to: day(-5) })).errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('keeps PIN and PUK codes out of the profile and shows them on a logged reveal', async () => {
    const id = await numberId('77010542006');
    const hidden = await t.gql('query($id: ID!) { number(id: $id) { simCard { iccid puk1 } } }', { id });
    expect(hidden.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const reveal = await t.gql('mutation($id: ID!) { revealSimCodes(numberId: $id) { iccid pin1 pin2 puk1 puk2 } }', { id });
    expect(reveal.errors).toBeUndefined();
    expect(reveal.data!.revealSimCodes).toMatchObject({ pin1: '0000', pin2: '6818', puk1: '92485563', puk2: '94113812' });
    const [logged] = await t.db.dataSource.query(
      `SELECT action, status, details FROM cabinet.action_log WHERE action = 'REVEAL_SIM_CODES' ORDER BY id DESC LIMIT 1`,
    );
    expect(logged).toEqual({ action: 'REVEAL_SIM_CODES', status: 'SUCCESS', details: { msisdn: '77010542006', iccid: reveal.data!.revealSimCodes.iccid } });
    const history = await t.gql('query($id: ID!) { number(id: $id) { actions(first: 1) { edges { node { action description } } } } }', { id });
    expect(history.data!.number.actions.edges[0].node).toEqual({
      action: 'REVEAL_SIM_CODES',
      description: `PIN and PUK codes shown for number 77010542006 (SIM ${reveal.data!.revealSimCodes.iccid})`,
    });
  });
});
