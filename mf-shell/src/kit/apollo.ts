import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable, type FetchResult, type Operation } from '@apollo/client/core';
import { onError } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient, type Client } from 'graphql-ws';
import { reactive, readonly } from 'vue';
import { documentLink } from './documents';
import { language } from './language';
import { resumingClient, type ResumingClient } from './resume';

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called whenever the API answers UNAUTHENTICATED (the session expired or was ended elsewhere). */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

function isSubscription(operation: Operation): boolean {
  return operation.query.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'subscription');
}

function socketUrl(path: string): string {
  const { protocol, host } = globalThis.location ?? { protocol: 'http:', host: '127.0.0.1' };
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${path}`;
}

let socket: WebSocket | undefined;

/**
 * The graphql-ws client: lazy (opens with the first subscription), retries forever. After a reconnect, subscriptions
 * that declare `$after` resume from their last event's cursor (see `resumingClient`); what is shown is refetched only
 * when one of them cannot (no event yet, no `$after`) or the gateway answers CURSOR_EXPIRED.
 */
export const wsClient: Client = createClient({
  url: () => socketUrl('/graphql'),
  lazy: true,
  retryAttempts: Number.POSITIVE_INFINITY,
  shouldRetry: () => true,
  on: {
    opened: (opened) => {
      socket = opened as WebSocket;
    },
    connected: (_socket, _payload, wasRetry) => {
      if (wasRetry && !subscriptions.allResume()) void apolloClient.refetchQueries({ include: 'active' });
    },
    closed: (event) => {
      socket = undefined;
      // 4401: the gateway ended the socket's session (logout elsewhere, a password change elsewhere, expiry).
      if ((event as CloseEvent | undefined)?.code === 4401) for (const listener of unauthenticatedListeners) listener();
    },
  },
});

const subscriptions: ResumingClient = resumingClient(
  { subscribe: (payload, sink) => wsClient.subscribe(payload, sink) },
  () => void apolloClient.refetchQueries({ include: 'active' }),
);

/** Reopens the socket so that it authenticates with the current session cookie (after sign-in or sign-out). */
export function restartSocket(): void {
  if (socket?.readyState === WebSocket.OPEN) socket.close(4205, 'Client Restart');
}

/**
 * A watch on the session that every page keeps open while signed in, whatever section it shows: a socket of its own
 * with no subscription, which the gateway closes with 4401 the moment the session ends (logout, sign out everywhere
 * else, password change elsewhere, expiry). The sections' socket only lives while they subscribe.
 */
let sessionWatch: Client | undefined;

let sessionWatchEnded: () => void = () => undefined;

/** What to do when the gateway closes the watch: another tab may have signed this browser in anew. */
export function onSessionWatchEnded(handler: () => void): void {
  sessionWatchEnded = handler;
}

export function watchSessionEnd(): void {
  void sessionWatch?.dispose();
  sessionWatch = createClient({
    url: () => socketUrl('/graphql'),
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        if ((event as CloseEvent | undefined)?.code === 4401) sessionWatchEnded();
      },
    },
  });
}

export function stopWatchingSessionEnd(): void {
  void sessionWatch?.dispose();
  sessionWatch = undefined;
}

const reachability = reactive({ unreachable: false });
/** True while the gateway does not answer (unreachable, or 502/503/504 from a proxy): queries are being retried. */
export const portal = readonly(reachability);

const RETRIED_STATUSES = new Set([502, 503, 504]);
/** The gateway was not reached: no answer at all, or a proxy's 502/503/504 in front of it. */
function unreachable(error: unknown): boolean {
  if (!error) return false;
  const status = (error as { statusCode?: number }).statusCode;
  return status === undefined ? error instanceof TypeError : RETRIED_STATUSES.has(status);
}

const isQuery = (operation: Operation) => operation.query.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'query');

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 10_000;

// Queries are sent again until the gateway answers (backing off to 10 s); mutations are not, as a lost answer does
// not mean nothing was done. Either way the page says the portal cannot be reached, and keeps what it shows.
const retryLink = new ApolloLink(
  (operation, forward) =>
    new Observable<FetchResult>((observer) => {
      let subscription: { unsubscribe(): void } | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let attempt = 0;
      const send = () => {
        subscription = forward(operation).subscribe({
          next: (result) => {
            reachability.unreachable = false;
            observer.next(result);
          },
          error: (error: unknown) => {
            if (!unreachable(error)) return observer.error(error);
            reachability.unreachable = true;
            if (!isQuery(operation)) return observer.error(error);
            const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt++);
            timer = setTimeout(send, delay / 2 + Math.random() * (delay / 2));
          },
          complete: () => observer.complete(),
        });
      };
      send();
      return () => {
        clearTimeout(timer);
        subscription?.unsubscribe();
      };
    }),
);

const errorLink = onError(({ graphQLErrors }) => {
  if (graphQLErrors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    for (const listener of unauthenticatedListeners) listener();
  }
});

// The gateway refuses non-JSON POSTs and GETs without a preflight header (CSRF); the header costs nothing on a same-origin POST.
const httpLink = new HttpLink({
  uri: '/graphql',
  credentials: 'same-origin',
  headers: { 'apollo-require-preflight': 'true' },
  fetch: (input, init) => globalThis.fetch(input, init),
});
const languageLink = new ApolloLink((operation, forward) => {
  operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({ headers: { ...headers, 'accept-language': language.value } }));
  return forward(operation);
});
const transport = ApolloLink.split(
  isSubscription,
  new GraphQLWsLink({ ...wsClient, subscribe: subscriptions.subscribe }),
  ApolloLink.from([retryLink, languageLink, httpLink]),
);

/** The one Apollo client of the page: every section reads and writes the same normalized cache. */
export const apolloClient = new ApolloClient({
  link: ApolloLink.from([errorLink, documentLink, transport]),
  cache: new InMemoryCache(),
  defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'none' } },
});

if (globalThis.addEventListener) {
  globalThis.addEventListener('online', () => void apolloClient.refetchQueries({ include: 'active' }));
}

export type { FetchResult };
