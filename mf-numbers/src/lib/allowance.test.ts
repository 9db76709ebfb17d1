import { formatAllowance } from './allowance';

const t = (key: string, values: Record<string, unknown> = {}) =>
  ({ 'numbers.units.minSec': `${values.min} min ${values.sec} sec`, 'numbers.units.mb': `${values.n} MB`, 'numbers.units.sms': `${values.n} SMS` })[key] ?? key;

describe('formatAllowance', () => {
  it('shows call seconds as minutes and seconds', () => {
    expect(formatAllowance('24000', 'SECOND', t, 'en')).toBe('400 min 0 sec');
    expect(formatAllowance(3005, 'SECOND', t, 'en')).toBe('50 min 5 sec');
  });

  it('groups megabytes and SMS in the language', () => {
    expect(formatAllowance('15360', 'MEGABYTE', t, 'en')).toBe('15,360 MB');
    expect(formatAllowance('15360', 'MEGABYTE', t, 'ru')).toBe('15\u00a0360 MB');
    expect(formatAllowance(400, 'SMS', t, 'kk')).toBe('400 SMS');
  });

  it('shows a dash when there is no amount', () => {
    expect(formatAllowance(null, 'SMS', t, 'en')).toBe('—');
  });
});
