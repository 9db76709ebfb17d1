import { ApolloLink, Observable, type FetchResult, type Operation } from '@apollo/client/core';

/** The gateway's answer to a hash it does not know (a section served from a dev server, say). */
const NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

type Errors = readonly { extensions?: Record<string, unknown> }[] | undefined;
const names = (errors: Errors) => (errors ?? []).some((e) => e.extensions?.code === NOT_FOUND);
/** Under application/graphql-response+json the refusal comes as a 400 whose body holds the errors. */
const notFoundIn = (result: FetchResult | undefined, error?: unknown) =>
  names(result?.errors as Errors) || names((error as { result?: { errors?: Errors } } | undefined)?.result?.errors);

const hashOf = (operation: Operation): string | undefined => {
  const hash = (operation.query as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
};

/**
 * The portal's documents go by their codegen hash (`extensions.persistedQuery.sha256Hash`), over HTTP without their
 * text: the gateway runs the text its release registry holds for the hash, and with TRUSTED_DOCUMENTS accepts
 * nothing else from a browser. When it does not know the hash, the same request goes once more with the text.
 * Subscriptions carry both (graphql-ws always sends the text); the gateway prefers its own.
 */
export const documentLink = new ApolloLink((operation, forward) => {
  const hash = hashOf(operation);
  if (!hash) return forward(operation);
  operation.extensions = { ...operation.extensions, persistedQuery: { version: 1, sha256Hash: hash } };
  const send = (includeQuery: boolean) => {
    operation.setContext({ http: { includeQuery, includeExtensions: true } });
    return forward(operation);
  };
  return new Observable<FetchResult>((observer) => {
    let subscription: { unsubscribe(): void } | undefined;
    const attempt = (includeQuery: boolean) => {
      let retried = false;
      const retry = () => {
        retried = true;
        subscription?.unsubscribe();
        attempt(true);
      };
      subscription = send(includeQuery).subscribe({
        next: (result) => (!includeQuery && notFoundIn(result) ? retry() : observer.next(result)),
        error: (error: unknown) => (!includeQuery && notFoundIn(undefined, error) ? retry() : observer.error(error)),
        complete: () => retried || observer.complete(),
      });
    };
    attempt(false);
    return () => subscription?.unsubscribe();
  });
});
