import type { RequestDb } from '../graphql/context';
import { groupLoader, rowLoader } from '../graphql/loaders';
import type { ServiceRow } from './service.type';

const COLUMNS = `s.id, s.code, s.category, s.name, s.description, s.monthly_fee::text AS "monthlyFee", s.info_url AS "infoUrl"`;

export const connectedServicesByNumber = (db: RequestDb) =>
  groupLoader<number, ServiceRow>(
    db,
    `SELECT c.number_id AS key, c.connected_at AS "connectedAt", ${COLUMNS}
     FROM billing.connected_services c JOIN billing.services s ON s.id = c.service_id
     WHERE c.number_id = ANY($1) ORDER BY s.category, s.position, s.id`,
    'key',
  );

export const servicesByTariff = (db: RequestDb) =>
  groupLoader<number, ServiceRow>(
    db,
    `SELECT t.tariff_id AS key, ${COLUMNS}
     FROM billing.tariff_services t JOIN billing.services s ON s.id = t.service_id
     WHERE t.tariff_id = ANY($1) ORDER BY s.category, s.position, s.id`,
    'key',
  );

export const serviceByCode = (db: RequestDb) =>
  rowLoader<string, ServiceRow & { code: string }>(db, `SELECT ${COLUMNS} FROM billing.services s WHERE s.code = ANY($1)`, 'code');
