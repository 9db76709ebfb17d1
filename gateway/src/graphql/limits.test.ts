import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getIntrospectionQuery, parse, validate, type GraphQLSchema } from 'graphql';
import { DEFAULT_LIMITS, analyzeQuery, analyzeQueryOnce, checkLimits, type AnalyzeOptions, type QueryAnalysis } from './limits';

const schema: GraphQLSchema = buildSchema(readFileSync(join(__dirname, '../../../schema/schema.graphql'), 'utf8'));

function analyze(query: string, options: AnalyzeOptions = {}): QueryAnalysis {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return analyzeQuery(schema, document, options);
}

const NUMBER_PROFILE = /* GraphQL */ `
  query NumberProfile($id: ID!) {
    number(id: $id) {
      id
      msisdn
      state
      stateChangedAt
      balance
      availableFunds
      creditLimit
      individualLimit
      isM2m
      roamingDebt
      registrationForm
      smsUssdBan
      account {
        id
        accountNo
        paymentMethod
        creditLimit
        company {
          id
          name
          bin
        }
      }
      company {
        id
        name
        bin
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
        unit
        available
        total
        unlimited
        validFrom
        validTo
      }
      bonuses {
        kind
        unit
        available
        total
        unlimited
        validFrom
        validTo
      }
      callForwardings {
        condition
        target
        setAt
      }
      connectedServices {
        connectedAt
        service {
          id
          code
          name
          category
          monthlyFee
        }
      }
      availableServices {
        category
        services {
          id
          code
          name
          description
          monthlyFee
        }
      }
      usageTotals {
        calls
        callSeconds
        sms
        dataKb
        cost
      }
      usage(first: 50) {
        edges {
          cursor
          node {
            id
            type
            direction
            startedAt
            otherParty
            durationSeconds
            volumeKb
            cost
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      payments(first: 50) {
        edges {
          cursor
          node {
            id
            paidAt
            type
            amount
            balanceBefore
            balanceAfter
            comment
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      actions(first: 50) {
        edges {
          cursor
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
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const NUMBER_LIST_PAGE = /* GraphQL */ `
  query NumberList($companyId: ID!, $after: String) {
    numbers(companyId: $companyId, first: 100, after: $after) {
      edges {
        cursor
        node {
          id
          msisdn
          state
          balance
          isM2m
          account {
            accountNo
            paymentMethod
          }
          company {
            name
          }
          tariff {
            name
          }
          simCard {
            iccid
          }
          device {
            lastImei
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const USAGE_OF_EVERY_NUMBER = /* GraphQL */ `
  {
    numbers(companyId: "c", first: 100) {
      edges {
        node {
          msisdn
          usage(first: 100) {
            edges {
              node {
                startedAt
                cost
              }
            }
          }
        }
      }
    }
  }
`;

describe('analyzeQuery', () => {
  it('costs the documented example 152: the query, the connection, and 50 × (node, tariff, simCard)', () => {
    const { cost } = analyze(`{ numbers(companyId: "c", first: 50) { edges { node { tariff { name } simCard { iccid } } } } }`);
    expect(cost).toBe(152);
  });

  it('takes first from a variable', () => {
    const query = `query ($n: Int) { numbers(companyId: "c", first: $n) { edges { node { tariff { name } } } } }`;
    expect(analyze(query, { variables: { n: 10 } }).cost).toBe(1 + 1 + 10 * 2);
  });

  it('takes first from the default of a variable that is not given', () => {
    const query = `query ($n: Int = 20) { numbers(companyId: "c", first: $n) { edges { node { tariff { name } } } } }`;
    expect(analyze(query, { variables: {} }).cost).toBe(1 + 1 + 20 * 2);
  });

  it('counts 50 items when first is absent', () => {
    expect(analyze(`{ numbers(companyId: "c") { edges { node { tariff { name } } } } }`).cost).toBe(1 + 1 + 50 * 2);
  });

  it('counts 50 items when first is a null variable', () => {
    const query = `query ($n: Int) { numbers(companyId: "c", first: $n) { edges { node { id } } } }`;
    expect(analyze(query, { variables: { n: null } }).cost).toBe(1 + 1 + 50);
  });

  it('counts at most 100 items whatever first says', () => {
    expect(analyze(`{ numbers(companyId: "c", first: 1000) { edges { node { id } } } }`).cost).toBe(1 + 1 + 100);
  });

  it('charges nothing for scalars, edges and pageInfo', () => {
    const query = `{ numbers(companyId: "c", first: 10) { edges { cursor } pageInfo { hasNextPage endCursor } } }`;
    expect(analyze(query).cost).toBe(1 + 1);
  });

  it('multiplies nested connections', () => {
    const query = `{
      numbers(companyId: "c", first: 10) { edges { node { usage(first: 20) { edges { node { cost } } } } } }
    }`;
    expect(analyze(query).cost).toBe(1 + 1 + 10 * (1 + 1 + 20 * 1));
  });

  it('counts a fragment and an inline fragment once for each place they are used', () => {
    const query = `
      {
        a: number(id: "1") { ...Plan }
        b: number(id: "2") { ...Plan }
        c: number(id: "3") { ... on Number { tariff { name } simCard { iccid } } }
      }
      fragment Plan on Number { tariff { name } simCard { iccid } }
    `;
    expect(analyze(query).cost).toBe(1 + 3 * (1 + 2));
  });

  it('counts a field selected twice in one place once, as execution merges it', () => {
    const query = `
      { number(id: "1") { ...Plan ...Plan tariff { code } ... on Number { tariff { id } } } }
      fragment Plan on Number { tariff { name } }
    `;
    expect(analyze(query).cost).toBe(1 + 1 + 1);
  });

  it('leaves out what @skip(if: true) skips', () => {
    const query = `{ numbers(companyId: "c", first: 50) { edges { node { tariff @skip(if: true) { name } } } } }`;
    expect(analyze(query).cost).toBe(1 + 1 + 50);
  });

  it('honours @include with a variable that is given', () => {
    const query = `query ($withPlan: Boolean!) {
      numbers(companyId: "c", first: 50) { edges { node { tariff @include(if: $withPlan) { name } } } }
    }`;
    expect(analyze(query, { variables: { withPlan: false } }).cost).toBe(1 + 1 + 50);
    expect(analyze(query, { variables: { withPlan: true } }).cost).toBe(1 + 1 + 50 * 2);
  });

  it('counts a field whose @skip variable is unknown', () => {
    const query = `query ($hide: Boolean!) { number(id: "1") { tariff @skip(if: $hide) { name } } }`;
    expect(analyze(query).cost).toBe(1 + 1 + 1);
  });

  it('counts the fields that carry an alias', () => {
    const query = `{
      first: number(id: "1") { plan: tariff { name } }
      second: number(id: "2") { tariff { title: name } }
      companies { id }
    }`;
    expect(analyze(query).aliases).toBe(4);
  });

  it('counts the fields selected on the root type', () => {
    expect(analyze(`{ a: number(id: "1") { id } b: number(id: "2") { id } companies { id } }`).rootFields).toBe(3);
  });

  it('measures depth as the longest chain of nested fields', () => {
    const query = `{
      company(id: "1") {
        name
        parent { branches { accounts { edges { node { company { actions { edges { node { actor { name } } } } } } } } } }
      }
    }`;
    expect(analyze(query).depth).toBe(12);
  });

  it('measures the operation named by operationName', () => {
    const document = parse(`
      query Small { number(id: "1") { id } }
      query Large { numbers(companyId: "c", first: 100) { edges { node { tariff { name } } } } }
    `);
    expect(analyzeQuery(schema, document, { operationName: 'Small' })).toEqual({ cost: 2, depth: 2, aliases: 0, rootFields: 1 });
    expect(analyzeQuery(schema, document, { operationName: 'Large' }).cost).toBe(1 + 1 + 100 * 2);
  });

  it('measures nothing when no operation can be selected, leaving the error to execution', () => {
    const document = parse(`query A { companies { id } } query B { companies { id } }`);
    expect(analyzeQuery(schema, document, {})).toEqual({ cost: 0, depth: 0, aliases: 0, rootFields: 0 });
    expect(analyzeQuery(schema, document, { operationName: 'C' })).toEqual({ cost: 0, depth: 0, aliases: 0, rootFields: 0 });
  });

  it('lets the introspection query through the default limits at the cost of one', () => {
    const analysis = analyze(getIntrospectionQuery());
    expect(analysis).toMatchObject({ cost: 1, depth: 0 });
    expect(checkLimits(analysis, DEFAULT_LIMITS)).toBeNull();
  });

  it('charges nothing and adds no depth for __typename', () => {
    expect(analyze(`{ number(id: "1") { __typename tariff { __typename } } }`)).toMatchObject({ cost: 3, depth: 2 });
  });

  it('ends on fragment cycles in a document that was not validated', () => {
    const document = parse(`
      { company(id: "1") { ...Up } }
      fragment Up on Company { parent { ...Up } ...Loop }
      fragment Loop on Company { ...Up }
    `);
    expect(analyzeQuery(schema, document, {}).depth).toBeLessThan(10);
  });

  it('ignores a spread of a fragment that is not defined, whatever its name', () => {
    const document = parse(`{ company(id: "1") { ...constructor ...toString name } }`);
    expect(analyzeQuery(schema, document, {})).toEqual({ cost: 2, depth: 2, aliases: 0, rootFields: 1 });
  });

  it('measures fragments spread many times without repeating the work', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Company { parent { ...F${i + 1} } branches { ...F${i + 1} } }`);
    const query = `{ company(id: "1") { ...F0 } } ${fragments.join('\n')} fragment F${levels} on Company { id }`;
    const started = Date.now();
    const analysis = analyzeQuery(schema, parse(query), {});
    expect(Date.now() - started).toBeLessThan(1000);
    expect(analysis.depth).toBe(levels + 2);
    expect(analysis.cost).toBeGreaterThan(2 ** levels);
  });
});

describe('the default limits', () => {
  it('pass the full profile of one number', () => {
    expect(checkLimits(analyze(NUMBER_PROFILE, { variables: { id: '1' } }), DEFAULT_LIMITS)).toBeNull();
  });

  it('pass a page of 100 numbers with 5 nested objects each', () => {
    expect(checkLimits(analyze(NUMBER_LIST_PAGE, { variables: { companyId: 'c' } }), DEFAULT_LIMITS)).toBeNull();
  });

  it('refuse 100 usage records of each of 100 numbers', () => {
    expect(checkLimits(analyze(USAGE_OF_EVERY_NUMBER), DEFAULT_LIMITS)?.code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('checkLimits', () => {
  const limits = { maxDepth: 12, maxAliases: 30, maxCost: 5000 };
  const within: QueryAnalysis = { cost: 5000, depth: 12, aliases: 30, rootFields: 1 };

  it('passes a query at every maximum', () => {
    expect(checkLimits(within, limits)).toBeNull();
  });

  it('refuses a query one level too deep', () => {
    expect(checkLimits({ ...within, depth: 13 }, limits)?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses a query with one alias too many', () => {
    expect(checkLimits({ ...within, aliases: 31 }, limits)?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses a query that costs one over the budget', () => {
    expect(checkLimits({ ...within, cost: 5001 }, limits)?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('names the limit, the value and the maximum', () => {
    expect(checkLimits({ ...within, cost: 5001 }, limits)?.message).toMatch(/cost 5001 .*5000/);
    expect(checkLimits({ ...within, depth: 13 }, limits)?.message).toMatch(/depth 13 .*12/);
    expect(checkLimits({ ...within, aliases: 31 }, limits)?.message).toMatch(/31 aliases.*30/);
  });
});

describe('analyzeQueryOnce', () => {
  it('answers as analyzeQuery for each operation and value of the variables it reads, asked again of the same document', () => {
    const document = parse(`
      query Page($n: Int = 10, $more: Boolean!, $search: String) { numbers(companyId: "c", first: $n, search: $search) {
        edges { node { tariff { name } simCard @include(if: $more) { iccid } } } } }
      query One { number(id: "1") { id } }
    `);
    expect(validate(schema, document)).toEqual([]);
    const inputs: AnalyzeOptions[] = [
      { operationName: 'Page', variables: { more: false } },
      { operationName: 'Page', variables: { n: 100, more: false } },
      { operationName: 'Page', variables: { n: null, more: true } },
      { operationName: 'Page', variables: { n: 100, more: true, search: '77' } },
      { operationName: 'One' },
    ];
    for (let round = 0; round < 2; round++) {
      for (const options of inputs) expect(analyzeQueryOnce(schema, document, options)).toEqual(analyzeQuery(schema, document, options));
    }
    expect(inputs.map((options) => analyzeQueryOnce(schema, document, options).cost)).toEqual([
      1 + 1 + 10 * 2,
      1 + 1 + 100 * 2,
      1 + 1 + 50 * 3,
      1 + 1 + 100 * 3,
      2,
    ]);
  });

  it('goes on measuring a document asked with more inputs than it keeps', () => {
    const document = parse(`query ($n: Int) { numbers(companyId: "c", first: $n) { edges { node { tariff { name } } } } }`);
    for (let n = 1; n <= 40; n++) expect(analyzeQueryOnce(schema, document, { variables: { n } }).cost).toBe(1 + 1 + n * 2);
  });
});
