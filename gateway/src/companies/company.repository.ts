import DataLoader from 'dataloader';
import type { RequestDb } from '../core/db';

/** Short names an administrator gave to companies, keyed by administrator. */
export const shortNamesByAdministrator = (db: RequestDb) =>
  new DataLoader<number, Map<number, string>>(async (administratorIds) => {
    const rows = await db.query<{ administratorId: number; companyId: number; shortName: string }>(
      `SELECT administrator_id AS "administratorId", company_id AS "companyId", short_name AS "shortName"
       FROM cabinet.grants WHERE administrator_id = ANY($1) AND short_name IS NOT NULL`,
      [administratorIds],
    );
    return administratorIds.map((id) => new Map(rows.filter((r) => r.administratorId === id).map((r) => [r.companyId, r.shortName])));
  });

interface PolicyRow {
  simReplacement: boolean;
  bulkThreshold: number | null;
}

const POLICY = `sim_replacement_approval AS "simReplacement", bulk_approval_threshold AS "bulkThreshold"`;

/** Companies' approval policies (cabinet.company_policies); a company without a row has set none. */
export const policies = {
  async read(db: Pick<RequestDb, 'query'>, companyId: number, { lock = false } = {}): Promise<PolicyRow | null> {
    const [row] = await db.query<PolicyRow>(`SELECT ${POLICY} FROM cabinet.company_policies WHERE company_id = $1${lock ? ' FOR UPDATE' : ''}`, [companyId]);
    return row ?? null;
  },

  async write(db: Pick<RequestDb, 'query'>, companyId: number, policy: PolicyRow, administratorId: number): Promise<PolicyRow> {
    const [row] = await db.query<PolicyRow>(
      `INSERT INTO cabinet.company_policies (company_id, sim_replacement_approval, bulk_approval_threshold, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (company_id) DO UPDATE SET sim_replacement_approval = $2, bulk_approval_threshold = $3, updated_by = $4, updated_at = now()
       RETURNING ${POLICY}`,
      [companyId, policy.simReplacement, policy.bulkThreshold, administratorId],
    );
    return row;
  },
};
