import { apolloClient, signIn, useAttempt, type Administrator, type ApiError, type Outcome } from '@cabinet/kit';
import { computed } from 'vue';
import { LoginDocument } from '../graphql/generated/graphql';

/** Why a sign-in failed, as the log-in page explains it. */
export type LoginProblem = { kind: 'invalid' } | { kind: 'rate-limited'; seconds: number } | { kind: 'phone' } | { kind: 'other'; code: string };

/** Maps the gateway's answer to what the page says: one generic message for any wrong phone/password pair (F1). */
export function loginProblem(e: ApiError): LoginProblem {
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
  const { run, busy, error } = useAttempt();
  const problem = computed(() => (error.value ? loginProblem(error.value) : null));

  function login(phone: string, password: string): Promise<Outcome<{ administrator: Administrator }>> {
    return run(async () => {
      const { data } = await apolloClient.mutate({ mutation: LoginDocument, variables: { phone, password } });
      if (!data?.login) throw new Error('The API returned no administrator');
      signIn(data.login);
      return { administrator: data.login };
    });
  }

  return { busy, problem, login };
}
