/**
 * Calls `action` at most once per `intervalMs` however often `request` is called: the first request runs at once,
 * the ones during the interval are folded into one run at its end. A burst of events so costs two runs, not one
 * per event, and the last state is always fetched. `stop` drops a pending run.
 */
export function coalesce(action: () => void, intervalMs: number, now: () => number = Date.now) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  function run(): void {
    timer = null;
    last = now();
    action();
  }
  return {
    request(): void {
      if (timer) return;
      const wait = last + intervalMs - now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    stop(): void {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
