import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import kk from '../../locales/kk.json';
import ActionStatusBadge from './ActionStatusBadge.vue';

const render = (status: 'SUCCESS' | 'FAILURE' | 'IN_PROCESS', locale: 'en' | 'kk' = 'en', report = false) =>
  mount(ActionStatusBadge, { props: { status, report }, global: { plugins: [createI18n({ legacy: false, locale, messages: { en, kk } })] } });

describe('ActionStatusBadge', () => {
  it('says Success or Failure as the manual does', () => {
    expect(render('SUCCESS').text()).toBe('Success');
    expect(render('FAILURE').text()).toBe('Failure');
    expect(render('IN_PROCESS').text()).toBe('In process');
  });

  it('marks failures as danger and successes as success', () => {
    expect(render('FAILURE').classes()).toContain('k-badge--danger');
    expect(render('SUCCESS').classes()).toContain('k-badge--success');
  });

  it('speaks Kazakh', () => {
    expect(render('SUCCESS', 'kk').text()).toBe('Сәтті');
  });

  it('speaks of a report in its own words, spinning while it is prepared', () => {
    const preparing = render('IN_PROCESS', 'en', true);
    expect(preparing.text()).toBe('Being prepared');
    expect(preparing.find('.k-spinner').exists()).toBe(true);
    expect(render('SUCCESS', 'en', true).text()).toBe('Sent');
    expect(render('FAILURE', 'en', true).classes()).toContain('k-badge--danger');
  });

  it('does not spin for an action in process', () => {
    expect(render('IN_PROCESS').find('.k-spinner').exists()).toBe(false);
  });
});
