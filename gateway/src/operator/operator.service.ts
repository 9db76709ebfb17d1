import { randomInt } from 'node:crypto';
import { parseBin, parsePhone } from '../auth/auth.validation';
import { billing } from '../billing/billing.adapter';
import { isLuhnValid, luhnCheckDigit } from '../billing/luhn';
import { ACCESS_REVOKED, EVENTS_CHANNEL, type AccessRevokedPayload } from '../graphql/pubsub';

/** Rows for every statement, UPDATE/DELETE … RETURNING included (a RequestDb). */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export class OperatorError extends Error {}

const KCELL_ICCID_PREFIX = '8999702';

async function companyByBin(db: SqlRunner, bin: string): Promise<{ id: number; name: string }> {
  const [company] = await billing.companiesByBin(db, [parseBin(bin)]);
  if (!company) throw new OperatorError(`No company with BIN ${bin} in the billing system`);
  return company;
}

async function administratorByPhone(db: SqlRunner, phone: string): Promise<{ id: number; name: string }> {
  const [administrator] = await db.query(`SELECT id, name FROM cabinet.administrators WHERE phone = $1`, [parsePhone(phone)]);
  if (!administrator) throw new OperatorError(`No administrator with phone ${phone}; approve a registration request first`);
  return administrator;
}

/** What operator staff do from the command line: access to companies, registration requests, SIM stock. */
export const operatorService = {
  async grant(db: SqlRunner, phone: string, bin: string): Promise<string> {
    const administrator = await administratorByPhone(db, phone);
    const company = await companyByBin(db, bin);
    await db.query(`INSERT INTO cabinet.grants (administrator_id, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      administrator.id,
      company.id,
    ]);
    return `${administrator.name} may now manage ${company.name} (BIN ${bin})`;
  },

  /**
   * HTTP requests load grants afresh; open sockets of the administrator, on every process, learn of the
   * revocation from the event and stop delivering the company's events.
   */
  async revoke(db: SqlRunner, phone: string, bin: string): Promise<string> {
    const administrator = await administratorByPhone(db, phone);
    const company = await companyByBin(db, bin);
    const payload: AccessRevokedPayload = { administratorId: administrator.id, companyId: company.id };
    const notification = JSON.stringify({ sequence: 0, topic: ACCESS_REVOKED, companyId: null, payload });
    // One statement: the grant cannot go without the sockets hearing of it.
    const removed = await db.query(
      `WITH removed AS (DELETE FROM cabinet.grants WHERE administrator_id = $1 AND company_id = $2 RETURNING company_id)
       SELECT company_id, pg_notify($3, $4) FROM removed`,
      [administrator.id, company.id, EVENTS_CHANNEL, notification],
    );
    if (removed.length === 0) throw new OperatorError(`${administrator.name} had no access to BIN ${bin}`);
    return `${administrator.name} no longer manages ${company.name} (BIN ${bin})`;
  },

  async requests(db: SqlRunner, status = 'PENDING'): Promise<{ id: number; bin: string; name: string; phone: string; email: string; status: string; createdAt: Date }[]> {
    if (!['PENDING', 'APPROVED', 'REJECTED', 'ALL'].includes(status)) throw new OperatorError('status must be PENDING, APPROVED, REJECTED or ALL');
    return db.query(
      `SELECT id, bin, name, phone, email, status, created_at AS "createdAt" FROM cabinet.registration_requests
       WHERE $1 = 'ALL' OR status::text = $1 ORDER BY id`,
      [status],
    );
  },

  /** Approves a request: the administrator is created if new, without a password, and granted the company. */
  async approve(db: SqlRunner, requestId: number): Promise<string> {
    const [request] = await db.query(`SELECT id, bin, name, phone, email, status FROM cabinet.registration_requests WHERE id = $1`, [requestId]);
    if (!request) throw new OperatorError(`No registration request ${requestId}`);
    if (request.status !== 'PENDING') throw new OperatorError(`Request ${requestId} is already ${request.status}`);
    const company = await companyByBin(db, request.bin);
    const [administrator] = await db.query(
      `INSERT INTO cabinet.administrators (name, phone, email) VALUES ($1, $2, $3)
       ON CONFLICT (phone) DO UPDATE SET phone = EXCLUDED.phone RETURNING id`,
      [request.name, request.phone, request.email],
    );
    await db.query(`INSERT INTO cabinet.grants (administrator_id, company_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      administrator.id,
      company.id,
    ]);
    await db.query(`UPDATE cabinet.registration_requests SET status = 'APPROVED', decided_at = now() WHERE id = $1`, [requestId]);
    return `Approved: ${request.name} (${request.phone}) manages ${company.name}. First sign-in: "Forgot password?" with this phone.`;
  },

  async reject(db: SqlRunner, requestId: number): Promise<string> {
    const updated = await db.query(
      `UPDATE cabinet.registration_requests SET status = 'REJECTED', decided_at = now() WHERE id = $1 AND status = 'PENDING' RETURNING id`,
      [requestId],
    );
    if (updated.length === 0) throw new OperatorError(`No pending registration request ${requestId}`);
    return `Rejected request ${requestId}`;
  },

  /** Adds free SIM cards to the stock: the ICCIDs given (each checked), or `count` new ones. */
  async addSims(db: SqlRunner, iccids: string[], count = 0): Promise<string[]> {
    for (const iccid of iccids) {
      if (!/^\d{20}$/.test(iccid) || !isLuhnValid(iccid)) throw new OperatorError(`${iccid} is not a 20-digit ICCID with a valid check digit`);
    }
    const generated = Array.from({ length: count }, () => {
      const payload = KCELL_ICCID_PREFIX + Array.from({ length: 12 }, () => randomInt(10)).join('');
      return payload + luhnCheckDigit(payload);
    });
    const all = [...iccids, ...generated];
    const pin = () => String(randomInt(10_000)).padStart(4, '0');
    const puk = () => String(randomInt(100_000_000)).padStart(8, '0');
    return billing.addSimCards(
      db,
      all.map((iccid) => ({ iccid, pin1: '0000', pin2: pin(), puk1: puk(), puk2: puk() })),
    );
  },
};
