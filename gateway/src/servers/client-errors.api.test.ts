import { ENGINES, startTestApp, type TestApp } from '../test/app';
import { encodeCursor } from '../core/paging';

/** Every paged list, reached from a company `$c` or a number `$n`, selecting its first edge's cursor. */
const LISTS: [string, string, 'c' | 'n'][] = [
  ['Query.numbers', 'query($c: ID!, $a: String) { numbers(companyId: $c, after: $a, first: 1) { edges { cursor } } }', 'c'],
  ['Query.operations', 'query($c: ID!, $a: String) { operations(companyId: $c, after: $a, first: 1) { edges { cursor } } }', 'c'],
  ['Company.accounts', 'query($c: ID!, $a: String) { company(id: $c) { accounts(after: $a, first: 1) { edges { cursor } } } }', 'c'],
  ['Company.actions', 'query($c: ID!, $a: String) { company(id: $c) { actions(after: $a, first: 1) { edges { cursor } } } }', 'c'],
  ['Company.creditPayments', 'query($c: ID!, $a: String) { company(id: $c) { creditPayments(after: $a, first: 1) { edges { cursor } } } }', 'c'],
  ['Company.reports', 'query($c: ID!, $a: String) { company(id: $c) { reports(after: $a, first: 1) { edges { cursor } } } }', 'c'],
  ['Number.actions', 'query($n: ID!, $a: String) { number(id: $n) { actions(after: $a, first: 1) { edges { cursor } } } }', 'n'],
  ['Number.payments', 'query($n: ID!, $a: String) { number(id: $n) { payments(after: $a, first: 1) { edges { cursor } } } }', 'n'],
  ['Number.usage', 'query($n: ID!, $a: String) { number(id: $n) { usage(after: $a, first: 1) { edges { cursor } } } }', 'n'],
];

/** Cursors of the right encoding but the wrong shape: each once reached PostgreSQL as a bad cast. */
const CRAFTED = [
  'WyJ4IiwieSJd',
  encodeCursor(['2025-01-01T00:00:00.000Z', 'x']),
  encodeCursor(['not a time', '1']),
  encodeCursor(['2025-02-30T00:00:00.000Z', '1']),
  encodeCursor(['2025-01-01T00:00:00.000Z', '99999999999999999999']),
  encodeCursor(['a\u0000b']),
  encodeCursor([1, 2]),
  'not base64 at all!',
];

describe.each(ENGINES)('client mistakes on %s', (engine) => {
  let t: TestApp;
  let ids: { c: string; n: string };
  beforeAll(async () => {
    t = await startTestApp(engine);
    const companies = await t.gql('{ companies { id } }');
    const c = companies.data!.companies[0].id;
    const numbers = await t.gql('query($c: ID!) { numbers(companyId: $c, first: 1) { edges { node { id } } } }', { c });
    ids = { c, n: numbers.data!.numbers.edges[0].node.id };
  });
  afterAll(() => t.close());

  describe.each(LISTS)('%s', (_name, query, owner) => {
    it('answers after: null with the first page, as when after is absent', async () => {
      const absent = await t.gql(query, { [owner]: ids[owner] });
      const nulled = await t.gql(query, { [owner]: ids[owner], a: null });
      expect(nulled.errors).toBeUndefined();
      expect(nulled.data).toEqual(absent.data);
    });

    it.each(CRAFTED)('refuses the crafted cursor %s with BAD_USER_INPUT naming after', async (cursor) => {
      const answer = await t.gql(query, { [owner]: ids[owner], a: cursor });
      expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'after']]);
    });
  });

  it.each(['2025-02-30', '2026-04-31', '2025-13-01', '0000-01-01'])('refuses the impossible date %s in the Date scalar', async (date) => {
    const asVariable = await t.gql('query($n: ID!, $f: Date) { number(id: $n) { usage(from: $f) { edges { cursor } } } }', { n: ids.n, f: date });
    expect(asVariable.status).toBe(200);
    expect(asVariable.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const inline = await t.gql(`query($n: ID!) { number(id: $n) { usage(from: "${date}") { edges { cursor } } } }`, { n: ids.n });
    expect(inline.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('still accepts 29 February of a leap year', async () => {
    const answer = await t.gql('query($n: ID!, $f: Date) { number(id: $n) { usage(from: $f) { edges { cursor } } } }', { n: ids.n, f: '2024-02-29' });
    expect(answer.errors?.map((e) => e.extensions?.field)).not.toContain(undefined);
  });

  it.each(['a\u0000b', 'tab\u0008', 'bell\u0007', 'c1\u0085'])('refuses a control character in a variable, anywhere (%j)', async (text) => {
    const search = await t.gql('query($c: ID!, $s: String) { numbers(companyId: $c, search: $s) { edges { cursor } } }', { c: ids.c, s: text });
    expect(search.status).toBe(200);
    expect(search.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 's']]);
    const anonymous = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: '77012112170', w: text });
    expect(anonymous.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'w']]);
  });

  it('refuses a control character in a string literal, naming the argument, each time the query is sent', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await t.gql(`query($c: ID!) { numbers(companyId: $c, search: "7\\u0000") { edges { cursor } } }`, { c: ids.c });
      expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'search']]);
    }
  });

  it('accepts tabs and line breaks in strings', async () => {
    const answer = await t.gql('query($c: ID!, $s: String) { numbers(companyId: $c, search: $s) { edges { cursor } } }', { c: ids.c, s: '\t7\r\n' });
    expect(answer.errors).toBeUndefined();
  });

  it('measures a query sent again with larger pages by those pages', async () => {
    const query = 'query($c: ID!, $n: Int, $u: Int) { numbers(companyId: $c, first: $n) { edges { node { usage(first: $u) { edges { node { cost } } } } } } }';
    for (let i = 0; i < 2; i++) {
      expect((await t.gql(query, { c: ids.c, n: 2, u: 2 })).errors).toBeUndefined();
      const large = await t.gql(query, { c: ids.c, n: 100, u: 100 });
      expect([large.status, large.errors?.map((e) => e.extensions?.code)]).toEqual([400, ['QUERY_TOO_COMPLEX']]);
    }
  });

  it('holds a session to the same cost maximum per query as a partner key', async () => {
    const answer = await t.gql('query($c: ID!) { numbers(companyId: $c, first: 100) { edges { node { usage(first: 100) { edges { node { cost } } } } } } }', {
      c: ids.c,
    });
    expect(answer.status).toBe(400);
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });
});
