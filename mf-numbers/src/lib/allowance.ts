import { formatInteger, type Language } from '@cabinet/kit';
import type { AllowanceUnit } from '../graphql/generated/graphql';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** An allowance amount as the operator prints it: "400 min 0 sec", "15 360 MB", "400 SMS". */
export function formatAllowance(amount: string | number | null | undefined, unit: AllowanceUnit, t: Translate, language: Language): string {
  if (amount === null || amount === undefined) return '—';
  const value = BigInt(amount);
  if (unit === 'SECOND') {
    return t('numbers.units.minSec', { min: formatInteger(value / 60n, language), sec: String(value % 60n) });
  }
  return t(unit === 'MEGABYTE' ? 'numbers.units.mb' : 'numbers.units.sms', { n: formatInteger(value, language) });
}
