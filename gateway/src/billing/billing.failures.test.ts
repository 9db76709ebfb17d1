import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BILLING_FAILURE_CODES, BILLING_FAILURES, failureCodeOf, failureText } from './billing.failures';

describe('billing failure codes', () => {
  it('are listed in schema/README.md', () => {
    const readme = readFileSync(join(__dirname, '../../../schema/README.md'), 'utf8');
    // Table cells are padded to their column's width.
    expect(BILLING_FAILURE_CODES.filter((code) => !new RegExp(`^\\| \`${code}\` +\\|`, 'm').test(readme))).toEqual([]);
  });

  it('have a text in every language, and free text recorded before them reads as it was', () => {
    for (const code of BILLING_FAILURE_CODES) for (const language of ['en', 'ru', 'kk'] as const) expect(BILLING_FAILURES[code][language]).toMatch(/\.$/);
    expect(failureText('SIM_NOT_FREE', 'kk')).toBe(BILLING_FAILURES.SIM_NOT_FREE.kk);
    expect(failureCodeOf('Billing system timeout')).toBe('OTHER');
    expect(failureText('Billing system timeout', 'ru')).toBe('Billing system timeout');
  });
});
