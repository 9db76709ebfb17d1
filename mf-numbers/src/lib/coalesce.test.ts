import { coalesce } from './coalesce';

describe('coalesce', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the first request at once and folds a burst into one run at the end of the interval', () => {
    const action = jest.fn();
    const gate = coalesce(action, 500);
    gate.request();
    expect(action).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 30; i++) gate.request();
    expect(action).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(499);
    expect(action).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    expect(action).toHaveBeenCalledTimes(2);
  });

  it('keeps to at most two runs a second under a steady stream of events', () => {
    const action = jest.fn();
    const gate = coalesce(action, 500);
    for (let ms = 0; ms < 3000; ms += 20) {
      gate.request();
      jest.advanceTimersByTime(20);
    }
    expect(action.mock.calls.length).toBeGreaterThanOrEqual(6);
    expect(action.mock.calls.length).toBeLessThanOrEqual(7);
  });

  it('drops a pending run when stopped', () => {
    const action = jest.fn();
    const gate = coalesce(action, 500);
    gate.request();
    gate.request();
    gate.stop();
    jest.advanceTimersByTime(1000);
    expect(action).toHaveBeenCalledTimes(1);
  });
});
