import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { CounterByLabel, HistogramByLabel } from './by-label';
import type { DataSource } from 'typeorm';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 200;

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Prometheus metrics of one gateway process, on a registry of its own. */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  // The metrics of every request are kept by label value (./by-label); prom-client's own for the others.
  private readonly requests: CounterByLabel;
  private readonly duration: HistogramByLabel;
  private readonly errors: Counter<'code'>;
  private readonly statements: HistogramByLabel;
  private readonly queries: CounterByLabel;

  constructor(engine: string, dataSource: DataSource, stuckNumbers?: () => Promise<{ count: number }>) {
    collectDefaultMetrics({ register: this.registry });
    const registry = this.registry;
    this.requests = new CounterByLabel({
      name: 'cabinet_graphql_requests_total',
      help: 'GraphQL requests by operation name',
      label: 'operation',
      fixed: { engine },
      registry,
    });
    this.duration = new HistogramByLabel({
      name: 'cabinet_graphql_request_duration_seconds',
      help: 'GraphQL request latency by operation name',
      label: 'operation',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registry,
    });
    this.errors = new Counter({
      name: 'cabinet_graphql_errors_total',
      help: 'GraphQL errors returned to clients by code',
      labelNames: ['code'],
      registers: [this.registry],
    });
    this.statements = new HistogramByLabel({
      name: 'cabinet_graphql_sql_statements',
      help: 'SQL statements run per GraphQL request',
      label: 'operation',
      buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34],
      registry,
    });
    this.queries = new CounterByLabel({
      name: 'cabinet_graphql_queries_total',
      help: 'GraphQL queries by the server their reads ran on: primary, or standby (DATABASE_READ_URL)',
      label: 'database',
      registry,
    });
    const pool = () => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'cabinet_db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const p = pool();
        this.set({ state: 'total' }, p?.totalCount ?? 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });
    if (stuckNumbers) {
      new Gauge({
        name: 'cabinet_numbers_stuck_in_process',
        help: 'Numbers In process for longer than 3 × the billing system’s expected time with no operation running on them',
        registers: [this.registry],
        async collect() {
          this.set((await stuckNumbers().catch(() => ({ count: -1 }))).count);
        },
      });
    }
  }

  /** Client-chosen names are bounded so that they cannot grow the label set without limit. */
  operationLabel(name: unknown): string {
    if (typeof name !== 'string' || !OPERATION_NAME.test(name)) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return 'other';
    this.operations.add(name);
    return name;
  }

  observeRequest(operation: string, seconds: number, sqlStatements: number): void {
    this.requests.inc(operation);
    this.duration.observe(operation, seconds);
    this.statements.observe(operation, sqlStatements);
  }

  countError(code: string): void {
    this.errors.inc({ code });
  }

  /** A query answered, by where its reads ran (a query whose standby failed it midway counts as the primary's). */
  countQuery(database: 'primary' | 'standby'): void {
    this.queries.inc(database);
  }

  /** The standby for reads as its watcher last saw it: how far behind, and whether queries read from it. */
  watchStandby(status: () => { state: string; lagSeconds: number }): void {
    new Gauge({
      name: 'cabinet_standby_lag_seconds',
      help: 'How far the standby of DATABASE_READ_URL is behind the primary, as this process last measured it',
      registers: [this.registry],
      collect() {
        this.set(status().lagSeconds);
      },
    });
    new Gauge({
      name: 'cabinet_standby_serving',
      help: '1 while queries may read from the standby (reachable, in recovery, within DATABASE_READ_MAX_LAG_SECONDS), else 0',
      registers: [this.registry],
      collect() {
        this.set(status().state === 'streaming' ? 1 : 0);
      },
    });
  }
}
