import { apiError, type ApiError } from '@cabinet/kit';

/** What a form learns from a mutation: done, or the API's error to show. */
export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; error: ApiError };

export async function attempt<T extends object>(action: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, ...(await action()) };
  } catch (error) {
    return { ok: false, error: apiError(error) };
  }
}
