import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type FetchResult, type Operation } from '@apollo/client/core';
import { onError } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient, type Client } from 'graphql-ws';
import { language } from './language';

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
let client: ApolloClient<unknown> | undefined;

/** The graphql-ws client: lazy (opens with the first subscription), retries forever, refetches what is shown after a reconnect. */
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
      if (wasRetry) void client?.refetchQueries({ include: 'active' });
    },
    closed: (event) => {
      socket = undefined;
      // 4401: the gateway ended the socket's session (logout elsewhere, password change, expiry).
      if ((event as CloseEvent | undefined)?.code === 4401) for (const listener of unauthenticatedListeners) listener();
    },
  },
});

/** Reopens the socket so that it authenticates with the current session cookie (after sign-in or sign-out). */
export function restartSocket(): void {
  if (socket?.readyState === WebSocket.OPEN) socket.close(4205, 'Client Restart');
}

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
const transport = ApolloLink.split(isSubscription, new GraphQLWsLink(wsClient), ApolloLink.from([languageLink, httpLink]));

/** The one Apollo client of the page: every section reads and writes the same normalized cache. */
export const apolloClient = new ApolloClient({
  link: ApolloLink.from([errorLink, transport]),
  cache: new InMemoryCache(),
  defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'none' } },
});
client = apolloClient as ApolloClient<unknown>;

if (globalThis.addEventListener) {
  globalThis.addEventListener('online', () => void apolloClient.refetchQueries({ include: 'active' }));
}

export type { FetchResult };
