import { ref } from 'vue';
import { apiError, type ApiError } from './errors';

/**
 * What a mutation answers a view with — it never rejects: done, with the fields of its result, or refused, with the
 * API's error (its stable code, the field it names).
 */
export type Outcome<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ApiError };

/** Runs a request and answers with its outcome: what `action` returns, or the error it throws as an `ApiError`. */
export async function attempt<T extends object>(action: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, ...(await action()) };
  } catch (error) {
    return { ok: false, error: apiError(error) };
  }
}

/** A mutation a view runs, with its state: `busy` while it runs, `error` the last refusal until the next run or `reset()`. */
export function useAttempt() {
  const busy = ref(false);
  const error = ref<ApiError | null>(null);

  async function run<T extends object>(action: () => Promise<T>): Promise<Outcome<T>> {
    busy.value = true;
    error.value = null;
    const outcome = await attempt(action);
    error.value = outcome.ok ? null : outcome.error;
    busy.value = false;
    return outcome;
  }

  return { run, busy, error, reset: (): void => void (error.value = null) };
}
