import { mount } from '@vue/test-utils';
import BulkPlanSummary from './BulkPlanSummary.vue';
import { bulkI18n } from './testing';

const plan = {
  token: 't1',
  total: 40,
  changes: 25,
  groups: [
    { outcome: 'CANNOT', code: 'NUMBER_BLOCKED_FOR_DEBT', reason: 'Blocked for debt', count: 3, sample: ['77010542001', '77010542002', '77010542003'] },
    { outcome: 'CHANGE', code: null, reason: null, count: 25, sample: Array.from({ length: 10 }, (_, i) => `770105420${10 + i}`) },
    { outcome: 'ALREADY', code: 'CONFLICT', reason: 'Already blocked', count: 12, sample: ['77010542030'] },
  ],
  invalidLines: [{ line: 4, value: '12345', code: 'INVALID_PHONE', reason: 'Not a phone number' }],
  invalidLineCount: 130,
  monthlyFeeChange: '12500.00',
  approvalRequired: true,
} as const;

const render = (locale: 'en' | 'ru' = 'en') =>
  mount(BulkPlanSummary, { props: { plan: plan as never, startAt: '2026-12-03T04:30:00.000Z' }, global: { plugins: [bulkI18n(locale)] } });

describe('BulkPlanSummary', () => {
  it('lists will change, already and cannot in that order, with the reason, count and first numbers', () => {
    const view = render();
    const groups = view.findAll('[data-outcome]');
    expect(groups.map((g) => g.attributes('data-outcome'))).toEqual(['CHANGE', 'ALREADY', 'CANNOT']);
    expect(groups[0].text()).toContain('Will change');
    expect(groups[0].text()).toContain('and 15 more');
    expect(groups[2].text()).toContain('Blocked for debt');
    expect(groups[2].text()).toContain('+7 701 054 20 01');
  });

  it('shows the refused lines of the file with their line numbers, and how many in all', () => {
    const view = render();
    const lines = view.find('[data-test="plan-invalid-lines"]');
    expect(lines.find('tr[data-line="4"]').text()).toContain('Not a phone number');
    expect(lines.text()).toContain('The first 1 of 130 lines are shown.');
  });

  it('shows the change of monthly fees, the start and that it needs approval, in Russian too', () => {
    const view = render('ru');
    expect(view.find('[data-test="plan-fee"]').text()).toBe('Ежемесячная плата изменится всего на +12\u00a0500\u00a0₸');
    expect(view.find('[data-test="plan-start"]').text()).toContain('03.12.2026, 09:30:00');
    expect(view.find('[data-test="plan-approval"]').text()).toContain('другой администратор');
  });
});
