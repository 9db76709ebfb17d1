import { ApolloLink, execute, gql, Observable, type FetchResult } from '@apollo/client/core';
import type { DocumentNode } from 'graphql';
import { documentLink } from './documents';

const HASH = `sha256:${'a'.repeat(64)}`;
// A copy: gql keeps one object per text.
const withHash = () => ({ ...gql('query Me { me { id } }'), __meta__: { hash: HASH } });

/** A gateway that records what each request would carry, and answers with the next of `answers`. */
function gateway(answers: ((sent: { includeQuery: boolean; hash: unknown }) => FetchResult | Error)[]) {
  const sent: { includeQuery: boolean; hash: unknown }[] = [];
  const link = new ApolloLink(
    (operation) =>
      new Observable<FetchResult>((observer) => {
        const request = {
          includeQuery: operation.getContext().http?.includeQuery ?? true,
          hash: (operation.extensions.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash,
        };
        sent.push(request);
        const answer = answers[sent.length - 1](request);
        if (answer instanceof Error) observer.error(answer);
        else {
          observer.next(answer);
          observer.complete();
        }
      }),
  );
  return { sent, link: ApolloLink.from([documentLink, link]) };
}

const run = (link: ApolloLink, query: DocumentNode = withHash()) =>
  new Promise<FetchResult[]>((resolve, reject) => {
    const results: FetchResult[] = [];
    execute(link, { query }).subscribe({ next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
  });

const NOT_FOUND = { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } as unknown as FetchResult;

describe('the document link', () => {
  it('sends a generated document by its hash alone', async () => {
    const { sent, link } = gateway([() => ({ data: { me: { id: '1' } } })]);
    expect(await run(link)).toEqual([{ data: { me: { id: '1' } } }]);
    expect(sent).toEqual([{ includeQuery: false, hash: HASH }]);
  });

  it('sends the text once more, with the hash, when the gateway does not know the hash', async () => {
    const { sent, link } = gateway([() => NOT_FOUND, () => ({ data: { me: { id: '1' } } })]);
    expect(await run(link)).toEqual([{ data: { me: { id: '1' } } }]);
    expect(sent).toEqual([
      { includeQuery: false, hash: HASH },
      { includeQuery: true, hash: HASH },
    ]);
  });

  it('also when the refusal comes as a 400 carrying the errors', async () => {
    const refused = Object.assign(new Error('Response not successful: Received status code 400'), { statusCode: 400, result: NOT_FOUND });
    const { sent, link } = gateway([() => refused, () => ({ data: { me: { id: '1' } } })]);
    expect(await run(link)).toEqual([{ data: { me: { id: '1' } } }]);
    expect(sent.map((s) => s.includeQuery)).toEqual([false, true]);
  });

  it('passes the second refusal on instead of asking forever', async () => {
    const { sent, link } = gateway([() => NOT_FOUND, () => NOT_FOUND]);
    expect(await run(link)).toEqual([NOT_FOUND]);
    expect(sent).toHaveLength(2);
  });

  it('sends a document without a hash as it is', async () => {
    const { sent, link } = gateway([() => ({ data: { me: null } })]);
    await run(link, gql('query Me { me { id } }'));
    expect(sent).toEqual([{ includeQuery: true, hash: undefined }]);
  });
});
