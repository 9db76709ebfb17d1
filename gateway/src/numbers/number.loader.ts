import type { RequestDb } from '../graphql/context';
import { groupLoader, rowLoader } from '../graphql/loaders';
import type { NumberRow, NumberState, SimCardRow } from './number.type';

const NUMBER = `SELECT id, msisdn, company_id AS "companyId", account_id AS "accountId", tariff_id AS "tariffId", state,
  state_changed_at AS "stateChangedAt", balance::text, available_funds::text AS "availableFunds",
  individual_limit::text AS "individualLimit", registration_form AS "registrationForm", is_m2m AS "isM2m",
  roaming_debt::text AS "roamingDebt", sms_ussd_ban AS "smsUssdBan", last_imei AS "lastImei"
  FROM billing.numbers`;

export const numberById = (db: RequestDb) => rowLoader<number, NumberRow>(db, `${NUMBER} WHERE id = ANY($1)`, 'id');

export const simCardByNumber = (db: RequestDb) =>
  rowLoader<number, SimCardRow>(
    db,
    `SELECT number_id AS "numberId", iccid, installed_at AS "installedAt", replaced_at AS "replacedAt"
     FROM billing.sim_cards WHERE number_id = ANY($1) AND retired_at IS NULL`,
    'numberId',
  );

export const registeredDevicesByNumber = (db: RequestDb) =>
  groupLoader<number, { numberId: number; imei: string; registeredAt: Date }>(
    db,
    `SELECT number_id AS "numberId", imei, registered_at AS "registeredAt" FROM billing.registered_devices
     WHERE number_id = ANY($1) ORDER BY registered_at, id`,
    'numberId',
  );

export const callForwardingsByNumber = (db: RequestDb) =>
  groupLoader<number, { numberId: number; condition: string; target: string; setAt: Date }>(
    db,
    `SELECT number_id AS "numberId", condition, target, set_at AS "setAt" FROM billing.call_forwardings
     WHERE number_id = ANY($1) ORDER BY condition`,
    'numberId',
  );

export interface NumberFilter {
  companyId: number;
  /** Digits to look for anywhere in the number; a full number matches exactly. */
  search: string | null;
  state: NumberState | null;
  afterMsisdn: string | null;
  limit: number;
}

/** One page of a company's numbers in MSISDN order (keyset paging, so deep pages stay fast). */
export async function listNumbers(db: RequestDb, f: NumberFilter): Promise<NumberRow[]> {
  const params: unknown[] = [f.companyId, f.limit];
  const where = ['company_id = $1'];
  if (f.search !== null) {
    params.push(f.search.length === 11 ? f.search : `%${f.search}%`);
    where.push(f.search.length === 11 ? `msisdn = $${params.length}` : `msisdn LIKE $${params.length}`);
  }
  if (f.state !== null) {
    params.push(f.state);
    where.push(`state = $${params.length}`);
  }
  if (f.afterMsisdn !== null) {
    params.push(f.afterMsisdn);
    where.push(`msisdn > $${params.length}`);
  }
  return db.query<NumberRow>(`${NUMBER} WHERE ${where.join(' AND ')} ORDER BY msisdn LIMIT $2`, params);
}
