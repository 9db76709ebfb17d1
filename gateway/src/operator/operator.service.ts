import { randomInt } from 'node:crypto';
import { parseBin, parsePhone } from '../core/validation';
import { billing, isLuhnValid, luhnCheckDigit } from '../billing';
import {
  ACCESS_REVOKED,
  ADMINISTRATOR_CHANGED,
  EVENTS_CHANNEL,
  publishEvent,
  SESSION_ENDED,
  type AccessRevokedPayload,
  type SessionEndedPayload,
} from '../core/events';
import {
  findAdministratorByPhone,
  approveRequest,
  deleteGrantNotifying,
  insertGrant,
  listRequests,
  registrationRequest,
  rejectRequest,
  removeAdministratorNotifying,
  upsertAdministrator,
  type RegistrationRequestRow,
  type SqlRunner,
} from './operator.repository';

export type { SqlRunner };

export class OperatorError extends Error {}

const KCELL_ICCID_PREFIX = '8999702';

async function companyByBin(db: SqlRunner, bin: string): Promise<{ id: number; name: string }> {
  const [company] = await billing.companiesByBin(db, [parseBin(bin)]);
  if (!company) throw new OperatorError(`No company with BIN ${bin} in the billing system`);
  return company;
}

async function administratorByPhone(db: SqlRunner, phone: string): Promise<{ id: number; name: string }> {
  const administrator = await findAdministratorByPhone(db, parsePhone(phone));
  if (!administrator) throw new OperatorError(`No administrator with phone ${phone}; approve a registration request first`);
  return administrator;
}

/** What operator staff do from the command line: access to companies, registration requests, SIM stock. */
export const operatorService = {
  async grant(db: SqlRunner, phone: string, bin: string): Promise<string> {
    const administrator = await administratorByPhone(db, phone);
    const company = await companyByBin(db, bin);
    await insertGrant(db, administrator.id, company.id);
    // Sessions looked up lately on any process learn of the company at once, not at their next lookup.
    await publishEvent(db, { topic: ADMINISTRATOR_CHANGED, companyId: null, payload: { administratorId: administrator.id } });
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
    const removed = await deleteGrantNotifying(db, administrator.id, company.id, EVENTS_CHANNEL, notification);
    if (!removed) throw new OperatorError(`${administrator.name} had no access to BIN ${bin}`);
    return `${administrator.name} no longer manages ${company.name} (BIN ${bin})`;
  },

  /**
   * An administrator who leaves: every grant, session and trusted browser goes, their sockets on every process are
   * closed at once (the same event as a sign-out everywhere), and the phone answers as unknown from then on. Their
   * actions stay in the history under their name; the companies' API keys they made stay the companies'. Approving a
   * new registration request for the phone brings them back, without a password.
   */
  async remove(db: SqlRunner, phone: string): Promise<string> {
    const administrator = await administratorByPhone(db, phone);
    const payload: SessionEndedPayload = { administratorId: administrator.id, sessionId: null };
    const notification = JSON.stringify({ sequence: 0, topic: SESSION_ENDED, companyId: null, payload });
    const removed = await removeAdministratorNotifying(db, administrator.id, EVENTS_CHANNEL, notification);
    if (!removed) throw new OperatorError(`${administrator.name} was removed already`);
    return `${administrator.name} removed: ${removed.grants} companies and ${removed.sessions} sessions ended`;
  },

  async requests(db: SqlRunner, status = 'PENDING'): Promise<RegistrationRequestRow[]> {
    if (!['PENDING', 'APPROVED', 'REJECTED', 'ALL'].includes(status)) throw new OperatorError('status must be PENDING, APPROVED, REJECTED or ALL');
    return listRequests(db, status);
  },

  /** Approves a request: the administrator is created if new, without a password, and granted the company. */
  async approve(db: SqlRunner, requestId: number): Promise<string> {
    const request = await registrationRequest(db, requestId);
    if (!request) throw new OperatorError(`No registration request ${requestId}`);
    if (request.status !== 'PENDING') throw new OperatorError(`Request ${requestId} is already ${request.status}`);
    const company = await companyByBin(db, request.bin);
    const administratorId = await upsertAdministrator(db, request);
    await insertGrant(db, administratorId, company.id);
    await approveRequest(db, requestId);
    await publishEvent(db, { topic: ADMINISTRATOR_CHANGED, companyId: null, payload: { administratorId } });
    return `Approved: ${request.name} (${request.phone}) manages ${company.name}. First sign-in: "Forgot password?" with this phone.`;
  },

  async reject(db: SqlRunner, requestId: number): Promise<string> {
    if (!(await rejectRequest(db, requestId))) throw new OperatorError(`No pending registration request ${requestId}`);
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
