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
