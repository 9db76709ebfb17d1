import { onMounted, ref, type Ref } from 'vue';

/** Where the portal keeps the SMS and e-mails it does not send: a page of the gateway's, for a browser on its machine. */
export const LOCAL_OUTBOX_PATH = '/outbox';

/**
 * Whether the gateway keeps the SMS it would send in a local outbox this browser may open: it answers the page
 * only while no SMS centre is configured, and only to its own machine.
 */
export function useLocalOutbox(): { available: Ref<boolean>; href: string } {
  const available = ref(false);
  onMounted(async () => {
    try {
      available.value = (await fetch(LOCAL_OUTBOX_PATH, { method: 'HEAD', credentials: 'omit' })).ok;
    } catch {
      available.value = false;
    }
  });
  return { available, href: LOCAL_OUTBOX_PATH };
}
