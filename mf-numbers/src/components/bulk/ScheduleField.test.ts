import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import ScheduleField from './ScheduleField.vue';
import { bulkI18n } from './testing';

function render(props: Record<string, unknown> = {}) {
  return mount(ScheduleField, { props: { modelValue: null, invalid: false, ...props }, global: { plugins: [bulkI18n()] }, attachTo: document.body });
}
// The models' last value: what was emitted last, or what it was given (a model emits only a change).
const last = (view: ReturnType<typeof render>, event: 'update:modelValue' | 'update:invalid') =>
  view.emitted(event)?.at(-1)?.[0] ?? view.props(event === 'update:invalid' ? 'invalid' : 'modelValue');

describe('ScheduleField', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-02T07:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('starts at once by default: no start time, nothing to fix', () => {
    const view = render();
    expect(view.find('[data-test="schedule-time"]').exists()).toBe(false);
    expect(last(view, 'update:invalid')).toBe(false);
  });

  it('turns a day and a time in Almaty into the start moment', async () => {
    const view = render();
    await view.find('[data-test="schedule-later"]').setValue(true);
    expect(last(view, 'update:invalid')).toBe(true);
    const day = view.find('input[data-test="schedule-day"], .when input.k-input');
    await day.setValue('03.12.2026');
    await day.trigger('change');
    await view.find('[data-test="schedule-time"]').setValue('9:30');
    await nextTick();
    expect(last(view, 'update:modelValue')).toBe('2026-12-03T04:30:00.000Z');
    expect(last(view, 'update:invalid')).toBe(false);
  });

  it('says when the time has passed, once the field is left', async () => {
    const view = render();
    await view.find('[data-test="schedule-later"]').setValue(true);
    const day = view.find('.when input.k-input');
    await day.setValue('2026-12-02');
    await day.trigger('change');
    const time = view.find('[data-test="schedule-time"]');
    await time.setValue('11:00');
    await time.trigger('change');
    expect(view.find('[data-test="schedule-problem"]').text()).toBe('This time has passed: choose a later one.');
    expect(time.attributes('aria-describedby')).toContain('-problem');
    expect(last(view, 'update:modelValue')).toBeNull();
  });

  it('shows the start it is given when only a new time is asked for', () => {
    const view = render({ required: true, initial: '2026-12-03T04:30:00.000Z' });
    expect(view.find('[data-test="schedule-now"]').exists()).toBe(false);
    expect((view.find('[data-test="schedule-time"]').element as HTMLInputElement).value).toBe('09:30');
    expect(last(view, 'update:modelValue')).toBe('2026-12-03T04:30:00.000Z');
  });
});
