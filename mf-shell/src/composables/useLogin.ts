import { apiError, apolloClient, signIn, type Administrator } from '@cabinet/kit';
import { ref } from 'vue';
import { LoginDocument } from '../graphql/generated/graphql';

/** Why a sign-in failed, as the log-in page explains it. */
export type LoginProblem =
  | { kind: 'invalid' }
  | { kind: 'rate-limited'; seconds: number }
  | { kind: 'phone' }
  | { kind: 'other'; code: string };

/** Maps the gateway's answer to what the page says: one generic message for any wrong phone/password pair (F1). */
export function loginProblem(error: unknown): LoginProblem {
  const e = apiError(error);
  switch (e.code) {
    case 'INVALID_CREDENTIALS':
      return { kind: 'invalid' };
    case 'RATE_LIMITED':
      return { kind: 'rate-limited', seconds: Math.max(1, Math.ceil(e.retryAfterSeconds ?? 60)) };
    case 'BAD_USER_INPUT':
      return e.field === 'phone' ? { kind: 'phone' } : { kind: 'invalid' };
    default:
      return { kind: 'other', code: e.code };
  }
}

export function useLogin() {
  const busy = ref(false);
  const problem = ref<LoginProblem | null>(null);

  async function login(phone: string, password: string): Promise<Administrator | undefined> {
    busy.value = true;
    problem.value = null;
    try {
      const { data } = await apolloClient.mutate({ mutation: LoginDocument, variables: { phone, password } });
      if (data?.login) signIn(data.login);
      return data?.login ?? undefined;
    } catch (error) {
      problem.value = loginProblem(error);
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { busy, problem, login };
}
