import { apolloClient, loadSession, navigate, signedIn } from '@cabinet/kit';
import { watch, type Ref } from 'vue';

/**
 * `me` is the one field open to anyone: once this browser's session has been ended elsewhere it answers null
 * instead of refusing. Then the kit learns the session is gone and the browser goes to the log-in page.
 */
export function useSessionEnded(result: Ref<{ me?: unknown } | undefined>): void {
  watch(result, async (answer) => {
    if (!answer || answer.me !== null || !signedIn.value) return;
    await loadSession(true).catch(() => null);
    if (signedIn.value) return;
    await apolloClient.clearStore();
    navigate(`/login?expired=1&next=${encodeURIComponent(globalThis.location.pathname)}`);
  });
}
