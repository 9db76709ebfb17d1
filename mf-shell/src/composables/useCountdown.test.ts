import { mount } from '@vue/test-utils';
import { defineComponent, h, ref } from 'vue';
import { useCountdown } from './useCountdown';

function withCountdown(until: number | null, now: () => number) {
  let countdown!: ReturnType<typeof useCountdown>;
  const target = ref(until);
  mount(defineComponent({ setup: () => ((countdown = useCountdown(target, 60, now)), () => h('span')) }));
  return { countdown, target };
}

describe('useCountdown', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('counts the seconds left until the time the gateway gave', () => {
    let now = 1_000_000;
    const { countdown } = withCountdown(now + 57_200, () => now);
    expect(countdown.seconds.value).toBe(58);
    now += 30_000;
    jest.advanceTimersByTime(1000);
    expect(countdown.seconds.value).toBe(28);
    now += 60_000;
    jest.advanceTimersByTime(1000);
    expect(countdown.seconds.value).toBe(0);
    expect(countdown.done.value).toBe(true);
  });

  it('never makes anyone wait longer than the rule, whatever the browser clock says', () => {
    const now = 1_000_000;
    const { countdown } = withCountdown(now + 10 * 60_000, () => now);
    expect(countdown.seconds.value).toBe(60);
  });

  it('counts down from a number of seconds (RATE_LIMITED retryAfterSeconds)', () => {
    const now = 5_000;
    const { countdown } = withCountdown(null, () => now);
    expect(countdown.done.value).toBe(true);
    countdown.startFor(42);
    expect(countdown.seconds.value).toBe(42);
  });
});
