import { seedBulk } from '../db/seed/seed';
import { ENGINES, startTestApp, type TestApp } from '../test/app';
import { fromGlobalId, toGlobalId } from '../core/ids';

const PAGE = /* GraphQL */ `
  query Page($companyId: ID!, $first: Int) {
    numbers(companyId: $companyId, first: $first) {
      edges {
        node {
          msisdn
          state
          balance
          availableFunds
          creditLimit
          company {
            bin
            parent {
              bin
            }
          }
          account {
            accountNo
            paymentMethod
            company {
              name
            }
          }
          tariff {
            name
          }
          simCard {
            iccid
          }
          device {
            lastImei
            registered {
              imei
            }
          }
          tariffBalances {
            kind
            available
          }
          bonuses {
            kind
            available
          }
          connectedServices {
            service {
              name
            }
          }
          availableServices {
            category
            services {
              name
            }
          }
          callForwardings {
            condition
            target
          }
          payments(first: 3) {
            edges {
              node {
                amount
              }
            }
          }
          usage(first: 3) {
            edges {
              node {
                cost
              }
            }
          }
          usageTotals {
            cost
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

const LIST_PAGE = /* GraphQL */ `
  query ListPage($companyId: ID!, $first: Int) {
    numbers(companyId: $companyId, first: $first) {
      edges {
        node {
          msisdn
          state
          balance
          account {
            accountNo
            paymentMethod
          }
          tariff {
            name
          }
        }
      }
    }
  }
`;

describe.each(ENGINES)('SQL statements per request on %s', (engine) => {
  let t: TestApp;
  let companyId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    const { companyIds } = await seedBulk(t.db.dataSource, { companies: 1, numbers: 150 });
    companyId = toGlobalId('Company', companyIds[0]);
    await t.db.dataSource.query(`INSERT INTO cabinet.grants (administrator_id, company_id) SELECT id, $1 FROM cabinet.administrators`, [companyIds[0]]);
  });
  afterAll(() => t.close());

  const statements = async (query: string, first: number) => {
    t.stats.length = 0;
    const res = await t.gql(query, { companyId, first });
    expect(res.errors).toBeUndefined();
    expect(res.data!.numbers.edges).toHaveLength(first);
    return t.stats[0].sqlStatements;
  };

  it('does not grow with the page size for the numbers list', async () => {
    // The session's first request looks it up; the next ones find it in memory.
    expect(await statements(LIST_PAGE, 10)).toBe(2);
    const ten = await statements(LIST_PAGE, 10);
    const hundred = await statements(LIST_PAGE, 100);
    // The numbers page with their accounts and tariffs.
    expect(ten).toBe(1);
    expect(hundred).toBe(ten);
  });

  it('reads a number profile with its account and tariff in one statement', async () => {
    const [number] = await t.db.dataSource.query(`SELECT id FROM billing.numbers WHERE company_id = $1 ORDER BY msisdn LIMIT 1`, [
      fromGlobalId('Company', companyId, 'companyId'),
    ]);
    t.stats.length = 0;
    const res = await t.gql(`query Profile($id: ID!) { number(id: $id) { msisdn creditLimit account { accountNo } tariff { name } } }`, {
      id: toGlobalId('Number', number.id),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.number).toMatchObject({ account: { accountNo: expect.any(String) }, tariff: { name: expect.any(String) } });
    expect(t.stats[0].sqlStatements).toBe(1);
  });

  it('reads a whole number profile in two statements: the number, then its SIM card, devices, allowances, services and forwardings', async () => {
    const [number] = await t.db.dataSource.query(
      `SELECT n.id FROM billing.numbers n WHERE n.company_id = $1 AND EXISTS (SELECT 1 FROM billing.connected_services c WHERE c.number_id = n.id)
       ORDER BY n.msisdn LIMIT 1`,
      [fromGlobalId('Company', companyId, 'companyId')],
    );
    await t.db.dataSource.query(`INSERT INTO billing.registered_devices (number_id, imei) VALUES ($1, '356938035643809'), ($1, '490154203237518')`, [
      number.id,
    ]);
    await t.db.dataSource.query(`INSERT INTO billing.call_forwardings (number_id, condition, target) VALUES ($1, 'BUSY', '77010000001')`, [number.id]);
    t.stats.length = 0;
    const res = await t.gql(
      `query Profile($id: ID!) { number(id: $id) { msisdn account { accountNo } tariff { name } simCard { iccid replacedAt }
        device { lastImei registered { imei registeredAt } } tariffBalances { kind available } bonuses { kind available }
        connectedServices { connectedAt service { code } } availableServices { category services { code } } callForwardings { condition target } } }`,
      { id: toGlobalId('Number', number.id) },
    );
    expect(res.errors).toBeUndefined();
    const profile = res.data!.number;
    expect(profile.simCard.iccid).toMatch(/^\d{20}$/);
    expect(profile.device.registered.map((d: { imei: string }) => d.imei)).toEqual(['356938035643809', '490154203237518']);
    expect(profile.callForwardings).toEqual([{ condition: 'BUSY', target: '77010000001' }]);
    expect(profile.connectedServices.length).toBeGreaterThan(0);
    expect(profile.availableServices.length).toBeGreaterThan(0);
    expect(t.stats[0].sqlStatements).toBe(2);
  });

  it('does not grow with the page size when every field of every number is asked for', async () => {
    const ten = await statements(PAGE, 10);
    const hundred = await statements(PAGE, 100);
    expect(hundred).toBe(ten);
    // The page with accounts and tariffs, the numbers' parts, the companies, and the payments, usage and totals pages.
    expect(ten).toBeLessThanOrEqual(7);
  });
});
