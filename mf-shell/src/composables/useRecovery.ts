import { apolloClient, attempt, signIn, type Administrator, type ApiError, type Outcome } from '@cabinet/kit';
import { ref } from 'vue';
import { CompletePasswordRecoveryDocument, StartPasswordRecoveryDocument, VerifyRecoveryCodeDocument } from '../graphql/generated/graphql';
import { useCountdown } from './useCountdown';

export type RecoveryStep = 'phone' | 'code' | 'password';

/** A problem to show, as a message key of the shell's `recovery.` / `login.` messages with its parameters. */
export interface RecoveryProblem {
  key: string;
  params?: Record<string, unknown>;
  field?: 'phone' | 'code' | 'password' | 'repeat';
}

const RESEND_SECONDS = 60;
/** Step 2 of this tab (the phone and when the code may be asked for again), so that a reload keeps it. */
const STEP_KEY = 'cabinet.recovery';

interface KeptStep {
  phone: string;
  resendAt: number;
}

function keptStep(): KeptStep | null {
  try {
    const kept = JSON.parse(globalThis.sessionStorage?.getItem(STEP_KEY) ?? 'null') as Partial<KeptStep> | null;
    return kept && typeof kept.phone === 'string' && typeof kept.resendAt === 'number' ? { phone: kept.phone, resendAt: kept.resendAt } : null;
  } catch {
    return null;
  }
}

function keepStep(kept: KeptStep | null): void {
  try {
    if (kept) globalThis.sessionStorage?.setItem(STEP_KEY, JSON.stringify(kept));
    else globalThis.sessionStorage?.removeItem(STEP_KEY);
  } catch {
    // Storage may be disabled: a reload then starts again at the phone.
  }
}

/** The answer of a mutation that must have one. */
function answer<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('The API returned no answer');
  return value;
}

/** The three steps of password recovery (F2): phone → SMS code → new password, ending signed in. */
export function useRecovery() {
  const kept = keptStep();
  const step = ref<RecoveryStep>(kept ? 'code' : 'phone');
  const phone = ref(kept?.phone ?? '');
  const busy = ref(false);
  const problem = ref<RecoveryProblem | null>(null);
  const notice = ref<RecoveryProblem | null>(null);
  const resendAt = ref<number | null>(kept?.resendAt ?? null);
  const countdown = useCountdown(resendAt, RESEND_SECONDS);
  let recoveryToken = '';

  /** Runs one step's mutation: its outcome, and on a refusal the problem `onError` makes of it. */
  async function run<T extends object>(action: () => Promise<T>, onError: (e: ApiError) => RecoveryProblem): Promise<Outcome<T>> {
    busy.value = true;
    problem.value = null;
    const outcome = await attempt(action);
    if (!outcome.ok) problem.value = onError(outcome.error);
    busy.value = false;
    return outcome;
  }

  const common = (e: ApiError): RecoveryProblem => ({ key: `kit.errors.${e.code}` });

  /** Step 1, and "send the code again" in step 2. */
  async function sendCode(phoneNumber: string): Promise<Outcome> {
    phone.value = phoneNumber;
    const wasResend = step.value === 'code';
    const result = await run(
      async () =>
        answer((await apolloClient.mutate({ mutation: StartPasswordRecoveryDocument, variables: { phone: phoneNumber } })).data?.startPasswordRecovery),
      (e) => {
        if (e.code === 'RATE_LIMITED' && (e.retryAfterSeconds ?? 0) <= RESEND_SECONDS) {
          // A code was sent less than a minute ago: it is still good, so go on to the code and count down.
          countdown.startFor(e.retryAfterSeconds ?? RESEND_SECONDS);
          step.value = 'code';
          keepStep({ phone: phoneNumber, resendAt: resendAt.value! });
          return { key: 'recovery.justSent', params: { seconds: e.retryAfterSeconds } };
        }
        if (e.code === 'RATE_LIMITED') return { key: 'recovery.tooManySends', params: { minutes: Math.ceil((e.retryAfterSeconds ?? 60) / 60) } };
        if (e.code === 'BAD_USER_INPUT') return { key: 'register.invalid.phone', field: 'phone' };
        return common(e);
      },
    );
    if (!result.ok) return result;
    resendAt.value = Date.parse(result.resendAvailableAt);
    step.value = 'code';
    keepStep({ phone: phoneNumber, resendAt: resendAt.value });
    notice.value = wasResend ? { key: 'recovery.resent' } : null;
    return { ok: true };
  }

  /** Step 2. */
  async function verifyCode(code: string): Promise<Outcome> {
    const result = await run(
      async () =>
        answer(
          (await apolloClient.mutate({ mutation: VerifyRecoveryCodeDocument, variables: { phone: phone.value, code: code.trim() } })).data?.verifyRecoveryCode,
        ),
      (e) => {
        if (e.code === 'INVALID_RECOVERY_CODE') {
          return e.attemptsLeft ? { key: 'recovery.wrongCode', params: { n: e.attemptsLeft }, field: 'code' } : { key: 'recovery.codeVoid', field: 'code' };
        }
        if (e.code === 'BAD_USER_INPUT') return { key: 'recovery.codeHint', field: 'code' };
        return common(e);
      },
    );
    if (!result.ok) return result;
    recoveryToken = result.recoveryToken;
    keepStep(null);
    notice.value = null;
    step.value = 'password';
    return { ok: true };
  }

  /** Step 3: on success the administrator is signed in. */
  async function setPassword(password: string, repeat: string): Promise<Outcome<{ administrator: Administrator }>> {
    const result = await run(
      async () => {
        const { data } = await apolloClient.mutate({
          mutation: CompletePasswordRecoveryDocument,
          variables: { recoveryToken, password, passwordRepeat: repeat },
        });
        return { administrator: answer(data?.completePasswordRecovery) };
      },
      (e) => {
        if (e.code === 'BAD_USER_INPUT' && e.reason) return { key: `recovery.problems.${e.reason}`, field: e.reason === 'MISMATCH' ? 'repeat' : 'password' };
        if (e.code === 'RECOVERY_EXPIRED' || e.code === 'INVALID_RECOVERY_CODE') {
          step.value = 'phone';
          return { key: 'recovery.expired' };
        }
        return common(e);
      },
    );
    if (result.ok) signIn(result.administrator);
    return result;
  }

  function restart(): void {
    keepStep(null);
    step.value = 'phone';
    problem.value = null;
    notice.value = null;
  }

  return { step, phone, busy, problem, notice, resendSeconds: countdown.seconds, canResend: countdown.done, sendCode, verifyCode, setPassword, restart };
}
