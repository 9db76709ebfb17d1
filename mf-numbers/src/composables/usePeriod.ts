import { apiError, isDay, lastMonth, todayInAlmaty, windowStartByDays, type ApiError, type DayPeriod } from '@cabinet/kit';
import { USAGE_WINDOW_DAYS } from '@cabinet/schema/rules';
import { computed, reactive, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';

/** A period of whole days in Asia/Almaty, both ends inclusive, as the API takes it (YYYY-MM-DD). */
export type Period = DayPeriod;

/** Why a date of a period is refused; the same rules as the API's BAD_USER_INPUT on `from` / `to`. */
/** `outside`: the API refused a date the form let through (the window moved on at midnight). */
export type PeriodProblem = 'required' | 'invalid' | 'afterTo' | 'future' | 'beforeWindow' | 'outside';
export type PeriodProblems = Partial<Record<keyof Period, PeriodProblem>>;

export interface PeriodRules {
  /** How many days back, today included, the period may reach (usage details: 90); none when unbounded. */
  windowDays?: number;
}

export { USAGE_WINDOW_DAYS };

/** The days a period may use: `min` is the first day of the window (none when unbounded), `max` is today. */
export function periodBounds(rules: PeriodRules, now: Date = new Date()): { min?: string; max: string } {
  return { min: rules.windowDays === undefined ? undefined : windowStartByDays(rules.windowDays, now), max: todayInAlmaty(now) };
}

/** The API's default: the last month up to today, its start clipped to the window. */
export function defaultPeriod(rules: PeriodRules, now: Date = new Date()): Period {
  return lastMonth(now, periodBounds(rules, now).min);
}

/** What is wrong with each end of a period, checked as the API checks it; empty when the period is fine. */
export function checkPeriod(period: Period, rules: PeriodRules, now: Date = new Date()): PeriodProblems {
  const { min, max } = periodBounds(rules, now);
  const problems: PeriodProblems = {};
  const fromOk = isDay(period.from);
  const toOk = isDay(period.to);
  if (!period.to) problems.to = 'required';
  else if (!toOk) problems.to = 'invalid';
  else if (period.to > max) problems.to = 'future';
  else if (min !== undefined && period.to < min) problems.to = 'beforeWindow';
  if (!period.from) problems.from = 'required';
  else if (!fromOk) problems.from = 'invalid';
  else if (min !== undefined && period.from < min) problems.from = 'beforeWindow';
  else if (toOk && period.from > period.to) problems.from = 'afterTo';
  else if (period.from > max) problems.from = 'future';
  return problems;
}

/**
 * A period chosen in a form: `draft` is what the fields hold, `period` what the page shows, changed only by an
 * `apply` that passes the rules. `refuse` shows the API's verdict on a field when it disagrees (e.g. after midnight).
 */
export function usePeriod(rules: PeriodRules, now: () => Date = () => new Date()) {
  const initial = defaultPeriod(rules, now());
  const draft = reactive<Period>({ ...initial });
  const period = ref<Period>({ ...initial });
  const refused = ref<PeriodProblems>({});
  const problems = computed<PeriodProblems>(() => ({ ...refused.value, ...checkPeriod(draft, rules, now()) }));
  const bounds = computed(() => periodBounds(rules, now()));
  const valid = computed(() => Object.keys(problems.value).length === 0);
  watch(
    () => [draft.from, draft.to],
    () => {
      refused.value = {};
    },
  );

  function apply(): boolean {
    refused.value = {};
    if (Object.keys(checkPeriod(draft, rules, now())).length > 0) return false;
    period.value = { from: draft.from, to: draft.to };
    return true;
  }

  function refuse(field: keyof Period): void {
    refused.value = { ...refused.value, [field]: 'outside' };
  }

  return {
    draft,
    period,
    problems,
    bounds,
    valid,
    /** True when the period shown ends today, whose records may still be arriving. */
    includesToday: computed(() => period.value.to >= bounds.value.max),
    apply,
    refuse,
  };
}

export type PeriodState = ReturnType<typeof usePeriod>;

/** The text of an API error on a history page, in the portal's language (the section's own words first, then the kit's). */
export function useHistoryErrorMessage() {
  const { t, te } = useI18n();
  return ({ code }: ApiError): string => {
    const key = te(`history.errors.${code}`) ? `history.errors.${code}` : `kit.errors.${code}`;
    return t(key, t('kit.errors.INTERNAL_SERVER_ERROR'));
  };
}

/** The text of a history page's API error; a BAD_USER_INPUT on `from` or `to` is also shown on that field of the period form. */
export function usePeriodErrors(state: Pick<PeriodState, 'refuse'>, error: Ref<unknown>) {
  const message = useHistoryErrorMessage();
  watch(error, (failure) => {
    const { code, field } = failure ? apiError(failure) : { code: null, field: undefined };
    if (code === 'BAD_USER_INPUT' && (field === 'from' || field === 'to')) state.refuse(field);
  });
  return { errorText: computed(() => (error.value ? message(apiError(error.value)) : null)) };
}
