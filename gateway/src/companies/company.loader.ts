import DataLoader from 'dataloader';
import { groupLoader, rowLoader } from '../graphql/loaders';
import type { RequestDb } from '../graphql/context';
import type { AccountRow, CompanyRow } from './company.type';

const COMPANY = `SELECT id, bin, name, parent_id AS "parentId" FROM billing.companies`;
const ACCOUNT = `SELECT id, company_id AS "companyId", account_no AS "accountNo", payment_method AS "paymentMethod",
  credit_limit::text AS "creditLimit" FROM billing.accounts`;

export const companyById = (db: RequestDb) => rowLoader<number, CompanyRow>(db, `${COMPANY} WHERE id = ANY($1)`, 'id');
export const branchesByParent = (db: RequestDb) =>
  groupLoader<number, CompanyRow>(db, `${COMPANY} WHERE parent_id = ANY($1) ORDER BY name, id`, 'parentId');
export const accountById = (db: RequestDb) => rowLoader<number, AccountRow>(db, `${ACCOUNT} WHERE id = ANY($1)`, 'id');

export async function listCompanies(db: RequestDb, ids: number[]): Promise<CompanyRow[]> {
  return db.query<CompanyRow>(`${COMPANY} WHERE id = ANY($1) ORDER BY name, id`, [ids]);
}

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

export async function listAccounts(db: RequestDb, companyId: number, size: number, afterNo: string | null): Promise<AccountRow[]> {
  return db.query<AccountRow>(
    `${ACCOUNT} WHERE company_id = $1 AND ($2::text IS NULL OR account_no > $2) ORDER BY account_no LIMIT $3`,
    [companyId, afterNo, size + 1],
  );
}
