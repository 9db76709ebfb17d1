import { Counter, Histogram, Registry } from 'prom-client';
import { CounterByLabel, HistogramByLabel } from './by-label';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

describe('metrics by one label', () => {
  it('write what prom-client’s Counter and Histogram write for the same observations', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const help = { name: 'cabinet_test_requests_total', help: 'Requests by operation' };
    const counted = new Counter({ ...help, labelNames: ['operation', 'engine'], registers: [theirs] });
    const counter = new CounterByLabel({ ...help, label: 'operation', fixed: { engine: 'mercurius' }, registry: ours });
    const timing = { name: 'cabinet_test_duration_seconds', help: 'Latency by operation' };
    const timed = new Histogram({ ...timing, labelNames: ['operation'], buckets: BUCKETS, registers: [theirs] });
    const histogram = new HistogramByLabel({ ...timing, label: 'operation', buckets: [...BUCKETS].reverse(), registry: ours });
    // Values on the bounds, between them, below the first and above the last; operations seen first at different times.
    const values = [...BUCKETS, 0, 0.0007, 0.003, 0.07, 0.3, 4.2, 7, 120];
    for (let i = 0; i < 400; i++) {
      const operation = ['ListPage', 'Profile', 'other', 'anonymous'][Math.min(3, Math.floor(i / 37) % 5)];
      const value = values[(i * 7) % values.length] * (1 + (i % 3) / 1000);
      counted.inc({ operation, engine: 'mercurius' });
      counter.inc(operation);
      timed.observe({ operation }, value);
      histogram.observe(operation, value);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toMatch(/^cabinet_test_requests_total\{operation="ListPage",engine="mercurius"\} \d+$/m);
    expect(text).toMatch(/^cabinet_test_duration_seconds_bucket\{le="0\.001",operation="Profile"\} \d+$/m);
    theirs.resetMetrics();
    ours.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
