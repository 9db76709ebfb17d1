import type { RequestDb } from '../graphql/context';
import { groupLoader, rowLoader } from '../graphql/loaders';
import type { AllowanceRow, TariffRow } from './tariff.type';

export const tariffById = (db: RequestDb) =>
  rowLoader<number, TariffRow>(db, `SELECT id, code, name FROM billing.tariffs WHERE id = ANY($1)`, 'id');

export const allowancesByNumber = (db: RequestDb) =>
  groupLoader<number, AllowanceRow>(
    db,
    `SELECT number_id AS "numberId", kind, is_bonus AS "isBonus", unlimited, available::text, total::text, unit,
       to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
     FROM billing.allowances WHERE number_id = ANY($1) ORDER BY kind, valid_from, id`,
    'numberId',
  );
