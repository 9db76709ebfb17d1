import { useFormat, type ApiError } from '@cabinet/kit';
import { useI18n } from 'vue-i18n';
import type { EmailProblem, MonthRangeProblem, PeriodProblem } from '../windows';
import { INVOICE_REGISTER_MAX_MONTHS, RECONCILIATION_WINDOW_MONTHS } from '../windows';

/** The administrator's words for what the form and the API found wrong, in the portal's language. */
export function useProblemText() {
  const { t, te } = useI18n();
  const format = useFormat();
  return {
    period: (problem: PeriodProblem | undefined, earliest?: string) =>
      problem ? t(`documents.period.problems.${problem}`, { date: format.date(earliest), months: RECONCILIATION_WINDOW_MONTHS }) : undefined,
    monthRange: (problem: MonthRangeProblem | undefined) =>
      problem ? t(`documents.monthRange.problems.${problem}`, { max: INVOICE_REGISTER_MAX_MONTHS }) : undefined,
    email: (problem: EmailProblem | null | undefined) => (problem ? t(`documents.email.problems.${problem}`) : undefined),
    /** An API error as one sentence: this section's words for its codes, else the kit's. */
    api(problem: ApiError): string {
      const { code } = problem;
      if (te(`documents.errors.${code}`)) return t(`documents.errors.${code}`);
      return t(`kit.errors.${code}`, t('kit.errors.INTERNAL_SERVER_ERROR'));
    },
    /** Under the field the API named in a BAD_USER_INPUT, what it refused. */
    apiField(problem: ApiError | null | undefined, field: string): string | undefined {
      return problem?.code === 'BAD_USER_INPUT' && problem.field === field ? t(`documents.errors.fields.${field}`) : undefined;
    },
  };
}
