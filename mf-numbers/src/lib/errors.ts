import type { ApiError } from '@cabinet/kit';
import { useI18n } from 'vue-i18n';

/**
 * The administrator's words for an API error: this section's message for the code (or, for BAD_USER_INPUT, for
 * the field), then the kit's, then the API's own message. About a bulk operation (`scope` 'bulk') the fleet
 * operations' messages come first (a CONFLICT there is about the operation, not a number).
 */
export function useErrorText(scope: 'number' | 'bulk' = 'number') {
  const { t, te } = useI18n();
  return (error: ApiError | null | undefined): string | null => {
    if (!error) return null;
    if (error.code === 'BAD_USER_INPUT') {
      if (error.field && te(`numbers.errors.fields.${error.field}`)) return t(`numbers.errors.fields.${error.field}`);
      return error.message || t('kit.errors.BAD_USER_INPUT');
    }
    if (scope === 'bulk' && te(`bulk.errors.${error.code}`)) return t(`bulk.errors.${error.code}`);
    if (te(`numbers.errors.${error.code}`)) return t(`numbers.errors.${error.code}`);
    if (te(`bulk.errors.${error.code}`)) return t(`bulk.errors.${error.code}`);
    if (te(`kit.errors.${error.code}`)) return t(`kit.errors.${error.code}`);
    return error.message || t('kit.errors.INTERNAL_SERVER_ERROR');
  };
}
