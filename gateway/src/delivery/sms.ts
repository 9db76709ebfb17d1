import type { SqlRunner } from '../core/db';
import { assertSmsMessage, type SmsLog, type SmsPurpose, type SmsSender } from './sms.message';
import { createSmppSms } from './sms.smpp';

export { SMS_MAX_LENGTH, SMS_PURPOSES } from './sms.message';
export type { SmsLog, SmsMessage, SmsPurpose, SmsSender } from './sms.message';
export { createSmppSms, parseSmppUrl, SmppError } from './sms.smpp';
export type { SmppOptions, SmppTarget } from './sms.smpp';

/** What the adapters need of the database: a TypeORM `DataSource` fits (its `query` resolves with the rows). */
export type SmsDb = SqlRunner;

export interface OutboxSms {
  id: string;
  to: string;
  text: string;
  purpose: SmsPurpose;
  createdAt: Date;
  sentVia: string | null;
}

/** Through the operator's SMSC when `smppUrl` is set, otherwise into `cabinet.sms_outbox` and the log. */
export function createSmsSender(config: { smppUrl?: string }, db: SmsDb, log: SmsLog): SmsSender {
  return config.smppUrl ? createSmppSms(config.smppUrl, log) : createOutboxSms(db, log);
}

/**
 * Delivers nothing: stores each message in `cabinet.sms_outbox` (sent_via `outbox`) and logs it with its text,
 * so that without an SMSC a local user can still read a recovery code.
 */
export function createOutboxSms(db: SmsDb, log: SmsLog): SmsSender {
  return {
    async send(message) {
      assertSmsMessage(message);
      const { to, text, purpose } = message;
      const rows: { id: string }[] = await db.query(
        `INSERT INTO cabinet.sms_outbox (phone, text, purpose, sent_via) VALUES ($1, $2, $3, 'outbox') RETURNING id::text AS id`,
        [to, text, purpose],
      );
      log.info({ sms: { to, purpose, text } }, 'SMS (outbox)');
      return { id: rows[0]!.id };
    },
    async close() {},
  };
}

/** The latest `limit` outbox messages to `phone`, newest first. */
export async function readOutbox(db: SmsDb, phone: string, limit = 10): Promise<OutboxSms[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`Outbox limit must be a positive integer (got ${limit})`);
  return db.query(
    `SELECT id::text AS id, phone AS "to", text, purpose, created_at AS "createdAt", sent_via AS "sentVia"
       FROM cabinet.sms_outbox
      WHERE phone = $1
      ORDER BY created_at DESC, id DESC
      LIMIT $2`,
    [phone, limit],
  );
}

declare module '../core/context' {
  interface Ports {
    sms: SmsSender;
  }
}
