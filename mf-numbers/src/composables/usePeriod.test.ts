import { nextTick } from 'vue';
import { checkPeriod, defaultPeriod, periodBounds, USAGE_WINDOW_DAYS, usePeriod } from './usePeriod';

// 19:30 UTC on 31 March is already 1 April in Almaty (UTC+5).
const NOW = new Date('2025-03-31T19:30:00Z');
const USAGE = { windowDays: USAGE_WINDOW_DAYS };

describe('the period rules', () => {
  it('opens the 90-day window on the 89th day before today', () => {
    expect(periodBounds(USAGE, NOW)).toEqual({ min: '2025-01-02', max: '2025-04-01' });
    expect(periodBounds({}, NOW)).toEqual({ min: undefined, max: '2025-04-01' });
  });

  it('defaults to the last month up to today, clipped to the window', () => {
    expect(defaultPeriod(USAGE, NOW)).toEqual({ from: '2025-03-01', to: '2025-04-01' });
    expect(defaultPeriod({ windowDays: 20 }, NOW)).toEqual({ from: '2025-03-13', to: '2025-04-01' });
  });

  it('accepts the whole window, today and its first day included', () => {
    expect(checkPeriod({ from: '2025-01-02', to: '2025-04-01' }, USAGE, NOW)).toEqual({});
    expect(checkPeriod({ from: '2025-04-01', to: '2025-04-01' }, USAGE, NOW)).toEqual({});
  });

  it('refuses a start before the window, naming the start', () => {
    expect(checkPeriod({ from: '2025-01-01', to: '2025-03-01' }, USAGE, NOW)).toEqual({ from: 'beforeWindow' });
  });

  it('refuses an end before the window or in the future, naming the end', () => {
    expect(checkPeriod({ from: '2024-12-01', to: '2024-12-31' }, USAGE, NOW)).toEqual({ from: 'beforeWindow', to: 'beforeWindow' });
    expect(checkPeriod({ from: '2025-03-01', to: '2025-04-02' }, USAGE, NOW)).toEqual({ to: 'future' });
  });

  it('refuses a start after the end', () => {
    expect(checkPeriod({ from: '2025-03-10', to: '2025-03-09' }, USAGE, NOW)).toEqual({ from: 'afterTo' });
  });

  it('refuses empty and impossible dates', () => {
    expect(checkPeriod({ from: '', to: '2025-02-30' }, USAGE, NOW)).toEqual({ from: 'required', to: 'invalid' });
  });

  it('lets a period without a window reach back as far as asked', () => {
    expect(checkPeriod({ from: '2019-01-01', to: '2025-04-01' }, {}, NOW)).toEqual({});
  });
});

describe('usePeriod', () => {
  it('shows a new period only when the form passes the rules', () => {
    const state = usePeriod(USAGE, () => NOW);
    state.draft.from = '2024-12-01';
    expect(state.problems.value).toEqual({ from: 'beforeWindow' });
    expect(state.apply()).toBe(false);
    expect(state.period.value).toEqual({ from: '2025-03-01', to: '2025-04-01' });
    state.draft.from = '2025-03-20';
    state.draft.to = '2025-03-25';
    expect(state.apply()).toBe(true);
    expect(state.period.value).toEqual({ from: '2025-03-20', to: '2025-03-25' });
  });

  it('says when the period shown ends today, whose records may be incomplete', () => {
    const state = usePeriod(USAGE, () => NOW);
    expect(state.includesToday.value).toBe(true);
    state.draft.to = '2025-03-31';
    state.apply();
    expect(state.includesToday.value).toBe(false);
  });

  it('shows the API’s refusal of a date on its field until the field changes', async () => {
    const state = usePeriod(USAGE, () => NOW);
    state.refuse('from');
    expect(state.problems.value).toEqual({ from: 'outside' });
    expect(state.valid.value).toBe(false);
    state.draft.from = '2025-03-02';
    await nextTick();
    expect(state.problems.value).toEqual({});
  });
});
