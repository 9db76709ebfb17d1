import { mount } from '@vue/test-utils';
import { createI18n } from 'vue-i18n';
import en from '../../locales/en.json';
import CompanyShortNameForm from './CompanyShortNameForm.vue';

const company = { id: 'Q29tcGFueTox', bin: '750750750750', name: 'TOO Кабинет', shortName: null as string | null };
const render = (props = { company }) =>
  mount(CompanyShortNameForm, {
    props,
    global: { plugins: [createI18n({ legacy: false, locale: 'en', messages: { en: { ...en, kit: { loading: '' } } } })] },
  });

describe('CompanyShortNameForm', () => {
  it('shows the BIN and the full name next to the short name', () => {
    const form = render();
    expect(form.text()).toContain('750750750750');
    expect(form.text()).toContain('TOO Кабинет');
    expect(form.find('label').attributes('for')).toBe(form.find('input').attributes('id'));
  });

  it('saves the short name trimmed', async () => {
    const form = render();
    await form.find('input').setValue('  Кабинет HQ ');
    await form.find('form').trigger('submit');
    expect(form.emitted('save')).toEqual([['Кабинет HQ']]);
  });

  it('saves an empty name to remove it', async () => {
    const form = render({ company: { ...company, shortName: 'Old' } });
    expect((form.find('input').element as HTMLInputElement).value).toBe('Old');
    await form.find('input').setValue('   ');
    await form.find('form').trigger('submit');
    expect(form.emitted('save')).toEqual([['']]);
  });

  it('refuses a name over 100 characters and says why', async () => {
    const form = render();
    await form.find('input').setValue('x'.repeat(101));
    await form.find('form').trigger('submit');
    expect(form.emitted('save')).toBeUndefined();
    expect(form.find('input').attributes('aria-invalid')).toBe('true');
    expect(form.text()).toContain('At most 100 characters.');
  });
});
