import { execute, GraphQLError, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { DomainError, ErrorCode } from '../core/errors';
import { compiledDocuments, mapEvents } from './subscription-execution';

/** A source of the given events, then the end. */
function source(events: unknown[]): AsyncIterator<unknown> {
  let i = 0;
  return { next: async () => (i < events.length ? { value: events[i++], done: false } : { value: undefined, done: true }) };
}

const poolTimeout = () => new GraphQLError('timeout exceeded when trying to connect', { originalError: new Error('timeout exceeded when trying to connect') });
const FAST = { forMs: 2000, firstPauseMs: 5, longestPauseMs: 20 };
const all = async (results: AsyncIterableIterator<ExecutionResult>) => {
  const out: ExecutionResult[] = [];
  for await (const result of results) out.push(result);
  return out;
};

describe('the results of subscription events', () => {
  it('tries an event again while the database cannot answer it, then delivers it and the events after it, in order', async () => {
    const attempts: [unknown, number][] = [];
    const results = mapEvents(
      source(['a', 'b']),
      () => true,
      (event, attempt) => {
        attempts.push([event, attempt]);
        return event === 'a' && attempt < 3 ? { errors: [poolTimeout()] } : { data: { event } };
      },
      FAST,
    );
    expect(await all(results)).toEqual([{ data: { event: 'a' } }, { data: { event: 'b' } }]);
    expect(attempts).toEqual([
      ['a', 0],
      ['a', 1],
      ['a', 2],
      ['a', 3],
      ['b', 0],
    ]);
  });

  it('delivers any other error at once, and the database’s own after trying for the retry window', async () => {
    const refused = new GraphQLError('Number not found', { originalError: new DomainError(ErrorCode.NOT_FOUND, 'Number not found') });
    let tries = 0;
    const started = Date.now();
    const results = await all(
      mapEvents(
        source(['gone', 'down']),
        () => true,
        (event) => {
          if (event === 'gone') return { errors: [refused] };
          tries++;
          return { errors: [poolTimeout()] };
        },
        { forMs: 200, firstPauseMs: 5, longestPauseMs: 20 },
      ),
    );
    expect(results.map((r) => r.errors?.[0].message)).toEqual(['Number not found', 'timeout exceeded when trying to connect']);
    expect(tries).toBeGreaterThan(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});

describe('compiled documents', () => {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { hello: { type: GraphQLString, args: { name: { type: new GraphQLNonNull(GraphQLString) } }, resolve: (_, { name }) => `hello ${name}` } },
    }),
  });
  const query = `query Hello($name: String!) { hello(name: $name) }`;
  const args = { schema, document: parse(query), operationName: 'Hello' };

  it('compiles a document once it has been seen the given number of times, and keeps it', () => {
    const compiledFor = compiledDocuments(schema, 1);
    expect(compiledFor(query, args)).toBeNull();
    const program = compiledFor(query, args);
    expect(program).not.toBeNull();
    expect(compiledFor(query, args)).toBe(program);
    expect(compiledDocuments(schema)(query, args)).not.toBeNull();
  });

  it('answers as graphql’s execute does', async () => {
    const program = compiledDocuments(schema)(query, args)!;
    expect(await program.query(undefined, {}, { name: 'Aigerim' })).toEqual(await execute({ ...args, variableValues: { name: 'Aigerim' } }));
  });
});
