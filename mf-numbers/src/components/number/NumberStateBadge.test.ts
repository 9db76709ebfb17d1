import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import ru from '../../locales/ru.json';
import NumberStateBadge from './NumberStateBadge.vue';

function render(state: 'ACTIVE' | 'BLOCKED' | 'BLOCKED_DEBT' | 'IN_PROCESS', locale: 'en' | 'ru' = 'en') {
  const i18n = createI18n({ legacy: false, locale, messages: { en, ru } });
  return mount(NumberStateBadge, { props: { state }, global: { plugins: [i18n] } });
}

describe('NumberStateBadge', () => {
  it('names each state as the operator does', () => {
    expect(render('ACTIVE').text()).toBe('Active');
    expect(render('BLOCKED').text()).toBe('Blocked');
    expect(render('BLOCKED_DEBT').text()).toBe('Blocked / Debt');
    expect(render('IN_PROCESS').text()).toBe('In process');
  });

  it('speaks the portal language', () => {
    expect(render('BLOCKED_DEBT', 'ru').text()).toBe('Заблокирован / Долг');
  });

  it('marks a debt block as a danger and a number in process as information', () => {
    expect(render('BLOCKED_DEBT').classes()).toContain('k-badge--danger');
    expect(render('IN_PROCESS').classes()).toContain('k-badge--info');
    expect(render('ACTIVE').classes()).toContain('k-badge--success');
  });
});
