import type { ApiError } from '@cabinet/kit';
import { computed, ref, watch, type Ref } from 'vue';
import { emailProblem } from '../windows';
import { useProblemText } from './useProblemText';

/**
 * The address a report form sends to: the administrator's own until they type another (the session may arrive
 * after the form), checked as the API checks it once the form was submitted, or refused by the API.
 */
export function useReportEmail(options: { defaultEmail: () => string; problem: () => ApiError | null | undefined; submitted: Ref<boolean> }) {
  const texts = useProblemText();
  const email = ref(options.defaultEmail());
  watch(options.defaultEmail, (address) => {
    if (!email.value) email.value = address;
  });
  const problem = computed(() => emailProblem(email.value));
  const error = computed(() => (options.submitted.value ? texts.email(problem.value) : undefined) ?? texts.apiField(options.problem(), 'email'));
  return { email, problem, error };
}
