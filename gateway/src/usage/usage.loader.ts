import type { RequestDb } from '../graphql/context';
import { pagedLoader } from '../graphql/loaders';
import type { Period } from '../graphql/period';
import type { UsageKind, UsageRow } from './usage.type';

export interface UsagePageArgs extends Period {
  type: UsageKind | null;
  limit: number;
  after: [string, string] | null;
}

const IN_PERIOD = `started_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Almaty'
  AND started_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Almaty'`;

export const usageByNumber = (db: RequestDb) =>
  pagedLoader<UsagePageArgs, UsageRow>(
    (numberIds, a) =>
      db.query<UsageRow>(
        `SELECT * FROM (
           SELECT id::text, number_id AS "numberId", started_at AS "startedAt", type, direction, other_party AS "otherParty",
             duration_seconds AS "durationSeconds", volume_kb::text AS "volumeKb", cost::text,
             row_number() OVER (PARTITION BY number_id ORDER BY started_at DESC, id DESC) AS rn
           FROM billing.usage_records
           WHERE number_id = ANY($1) AND ${IN_PERIOD}
             AND ($7::billing.usage_type IS NULL OR type = $7)
             AND ($5::timestamptz IS NULL OR (started_at, id) < ($5::timestamptz, $6::bigint))
         ) u WHERE rn <= $4 ORDER BY "numberId", "startedAt" DESC, id DESC`,
        [numberIds, a.from, a.to, a.limit, a.after?.[0] ?? null, a.after?.[1] ?? null, a.type],
      ),
    'numberId',
  );

export interface UsageTotalsRow extends Record<string, unknown> {
  numberId: number;
  calls: number;
  callSeconds: string;
  sms: number;
  dataKb: string;
  cost: string;
}

/** The totals of a period in SQL; `usage_totals` of the documents use the same sums. */
export const USAGE_TOTALS = `count(*) FILTER (WHERE type = 'CALL')::int AS calls,
  coalesce(sum(duration_seconds) FILTER (WHERE type = 'CALL'), 0)::text AS "callSeconds",
  count(*) FILTER (WHERE type = 'SMS')::int AS sms,
  coalesce(sum(volume_kb) FILTER (WHERE type = 'DATA'), 0)::text AS "dataKb",
  coalesce(sum(cost), 0)::text AS cost`;

export const usageTotalsByNumber = (db: RequestDb) =>
  pagedLoader<Period, UsageTotalsRow>(
    (numberIds, a) =>
      db.query<UsageTotalsRow>(
        `SELECT number_id AS "numberId", ${USAGE_TOTALS}
         FROM billing.usage_records WHERE number_id = ANY($1) AND ${IN_PERIOD}
         GROUP BY number_id`,
        [numberIds, a.from, a.to],
      ),
    'numberId',
  );
