import { computed, onBeforeUnmount, ref, type Ref } from 'vue';

/**
 * Seconds left until `until` (a timestamp in ms, or null), ticking every second. The gateway says when a new
 * SMS code may be asked for (`resendAvailableAt`); a countdown longer than `maxSeconds` is clipped, so a
 * browser clock that runs behind cannot make it wait longer than the rule.
 */
export function useCountdown(until: Ref<number | null>, maxSeconds = 60, now: () => number = Date.now) {
  const tick = ref(now());
  const timer = setInterval(() => {
    tick.value = now();
  }, 1000);
  onBeforeUnmount(() => clearInterval(timer));
  const seconds = computed(() => {
    if (until.value === null) return 0;
    return Math.min(maxSeconds, Math.max(0, Math.ceil((until.value - tick.value) / 1000)));
  });
  /** Starts counting down from now for the given number of seconds. */
  function startFor(secondsFromNow: number): void {
    tick.value = now();
    until.value = tick.value + secondsFromNow * 1000;
  }
  return { seconds, done: computed(() => seconds.value === 0), startFor };
}
