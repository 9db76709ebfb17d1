import type { ObservableSubscription } from '@apollo/client/core';
import { computed, reactive, readonly } from 'vue';
import { LogoutDocument, MeDocument, SetLanguageDocument, type AdministratorFieldsFragment } from '../graphql/generated/graphql';
import { apolloClient, onSessionWatchEnded, onUnauthenticated, restartSocket, stopWatchingSessionEnd, watchSessionEnd } from './apollo';
import { isLanguage, language, type Language } from './language';

export type Administrator = AdministratorFieldsFragment;
export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';

const state = reactive<{ status: SessionStatus; administrator: Administrator | null; expired: boolean }>({
  status: 'unknown',
  administrator: null,
  expired: false,
});

/** Who is signed in; read-only for the sections. */
export const session = readonly(state);
export const signedIn = computed(() => state.status === 'signed-in');

type Listener = (reason: 'logout' | 'expired') => void;
const signedOutListeners = new Set<Listener>();
let watching: ObservableSubscription | undefined;
let loading: Promise<Administrator | null> | undefined;

/** Set when a language is picked while signed out (on the log-in page): that choice then goes to the profile. */
const PICKED_KEY = 'cabinet.language.picked';

function pickedSignedOut(): boolean {
  try {
    return globalThis.localStorage?.getItem(PICKED_KEY) === '1';
  } catch {
    return false;
  }
}

function markPicked(picked: boolean): void {
  try {
    if (picked) globalThis.localStorage?.setItem(PICKED_KEY, '1');
    else globalThis.localStorage?.removeItem(PICKED_KEY);
  } catch {
    // Not kept: the profile's language then applies after sign-in.
  }
}

const languageEnum = (value: Language) => value.toUpperCase() as 'EN' | 'RU' | 'KK';

function adopt(administrator: Administrator | null): void {
  state.administrator = administrator;
  state.status = administrator ? 'signed-in' : 'signed-out';
  if (!administrator) return;
  watchSessionEnd();
  state.expired = false;
  const preferred = administrator.language.toLowerCase();
  if (pickedSignedOut()) {
    // The language picked last wins: the one chosen on the log-in page, saved to the profile.
    markPicked(false);
    if (preferred !== language.value) {
      void apolloClient.mutate({ mutation: SetLanguageDocument, variables: { language: languageEnum(language.value) } }).catch(() => undefined);
    }
  } else if (isLanguage(preferred)) language.value = preferred;
}

/**
 * Keeps `session.administrator` in step with the cache, so that a short name saved in one section shows everywhere.
 * `me` is open to anyone and answers null once the session was ended elsewhere: any section's query that reads it
 * then signs this browser out.
 */
function watchMe(): void {
  watching?.unsubscribe();
  watching = apolloClient.watchQuery({ query: MeDocument, fetchPolicy: 'cache-only', returnPartialData: true }).subscribe({
    next: ({ data }) => {
      if (state.status !== 'signed-in' || !data || !('me' in data)) return;
      if (data.me) state.administrator = data.me;
      else if (data.me === null) void signedOut('expired');
    },
  });
}

/** Asks the gateway who the session cookie belongs to (once; later calls share the answer). */
export function loadSession(force = false): Promise<Administrator | null> {
  if (loading && !force) return loading;
  loading = apolloClient
    .query({ query: MeDocument, fetchPolicy: 'network-only' })
    .then(({ data }) => {
      adopt(data.me ?? null);
      if (data.me) watchMe();
      return data.me ?? null;
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/** Records a sign-in answered by login or password recovery (both return the administrator). */
export function signIn(administrator: Administrator): void {
  apolloClient.writeQuery({ query: MeDocument, data: { me: administrator } });
  adopt(administrator);
  loading = Promise.resolve(administrator);
  watchMe();
  restartSocket();
}

async function signedOut(reason: 'logout' | 'expired'): Promise<void> {
  stopWatchingSessionEnd();
  watching?.unsubscribe();
  watching = undefined;
  state.administrator = null;
  state.status = 'signed-out';
  state.expired = reason === 'expired';
  loading = Promise.resolve(null);
  for (const listener of signedOutListeners) listener(reason);
  await apolloClient.clearStore();
  restartSocket();
}

/** Ends the session on the gateway and forgets everything cached for it. */
export async function logout(): Promise<void> {
  try {
    await apolloClient.mutate({ mutation: LogoutDocument });
  } finally {
    await signedOut('logout');
  }
}

/** Runs when the administrator signs out or the session ends; the shell sends the browser to the log-in page. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

onUnauthenticated(() => {
  if (state.status === 'signed-in') void signedOut('expired');
});

// The watched session ended; another tab of this browser may have signed in since (a new cookie): ask who this browser is now.
onSessionWatchEnded(() => {
  if (state.status !== 'signed-in') return;
  apolloClient
    .query({ query: MeDocument, fetchPolicy: 'network-only' })
    .then(({ data }) => {
      if (!data.me) return void signedOut('expired');
      watchSessionEnd();
      restartSocket();
    })
    .catch(() => void signedOut('expired'));
});

/**
 * Switches the portal's language; for a signed-in administrator the choice is saved in the profile, and
 * what the gateway localizes (tariff names, actions history) is fetched again.
 */
export async function setLanguage(next: Language): Promise<void> {
  language.value = next;
  if (state.status !== 'signed-in') {
    markPicked(true);
    return;
  }
  await apolloClient.mutate({ mutation: SetLanguageDocument, variables: { language: languageEnum(next) } });
  await apolloClient.refetchQueries({ include: 'active' });
}
