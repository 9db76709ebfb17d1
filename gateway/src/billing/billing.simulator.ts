import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestDb } from '../graphql/context';
import { BillingRejected, type BillingOperation, type BillingResult, type BillingSystem } from './billing.port';

const ok: BillingResult = { ok: true };

/**
 * The shipped billing system: the `billing` schema of this database, answering after `delayMs`, and
 * refusing what the real one refuses (a top-up needed first, a card taken meanwhile).
 */
export function createBillingSimulator(delayMs: number): BillingSystem {
  return {
    processingDelay: async () => {
      if (delayMs > 0) await sleep(delayMs);
    },

    async apply(db: RequestDb, { numberId, kind, params }: BillingOperation): Promise<BillingResult> {
      switch (kind) {
        case 'BLOCK_NUMBER':
          return ok;
        case 'UNBLOCK_NUMBER': {
          const [number] = await db.query<{ negative: boolean }>(
            `SELECT n.balance < 0 AND a.payment_method = 'ADVANCE' AS negative
             FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id WHERE n.id = $1`,
            [numberId],
          );
          return number.negative ? { ok: false, reason: 'The balance is negative: top it up before unblocking' } : ok;
        }
        case 'REPLACE_SIM': {
          await db.query(`UPDATE billing.sim_cards SET retired_at = now() WHERE number_id = $1 AND retired_at IS NULL`, [numberId]);
          const taken = await db.query(
            `UPDATE billing.sim_cards SET number_id = $1, installed_at = now(), replaced_at = now()
             WHERE iccid = $2 AND number_id IS NULL AND retired_at IS NULL RETURNING id`,
            [numberId, params.iccid],
          );
          if (taken.length === 0) throw new BillingRejected('The SIM card is no longer free: it was given to another number');
          return ok;
        }
        case 'CONNECT_SERVICE': {
          const [funds] = await db.query<{ short: boolean }>(
            `SELECT a.payment_method = 'ADVANCE' AND n.balance < s.monthly_fee AS short
             FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id, billing.services s
             WHERE n.id = $1 AND s.id = $2`,
            [numberId, Number(params.serviceId)],
          );
          if (funds?.short) return { ok: false, reason: 'Not enough money on the balance for the service’s monthly fee' };
          await db.query(`INSERT INTO billing.connected_services (number_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
            numberId,
            Number(params.serviceId),
          ]);
          return ok;
        }
        case 'DISCONNECT_SERVICE':
          await db.query(`DELETE FROM billing.connected_services WHERE number_id = $1 AND service_id = $2`, [numberId, Number(params.serviceId)]);
          return ok;
        case 'REGISTER_DEVICE':
          await db.query(`INSERT INTO billing.registered_devices (number_id, imei) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [numberId, params.imei]);
          return ok;
        case 'UNREGISTER_DEVICE':
          await db.query(`DELETE FROM billing.registered_devices WHERE number_id = $1 AND imei = $2`, [numberId, params.imei]);
          return ok;
        case 'SET_SMS_USSD_BAN':
          await db.query(`UPDATE billing.numbers SET sms_ussd_ban = $2 WHERE id = $1`, [numberId, params.enabled]);
          return ok;
        case 'SET_CALL_FORWARDING':
          await db.query(
            `INSERT INTO billing.call_forwardings (number_id, condition, target) VALUES ($1, $2, $3)
             ON CONFLICT (number_id, condition) DO UPDATE SET target = EXCLUDED.target, set_at = now()`,
            [numberId, params.condition, params.target],
          );
          return ok;
        case 'CANCEL_CALL_FORWARDING':
          await db.query(`DELETE FROM billing.call_forwardings WHERE number_id = $1 AND condition = $2`, [numberId, params.condition]);
          return ok;
        case 'SEND_SECRET_CODE':
          await db.query(`UPDATE billing.numbers SET secret_code_set_at = now() WHERE id = $1`, [numberId]);
          return ok;
        case 'DELETE_SECRET_CODE':
          await db.query(`UPDATE billing.numbers SET secret_code_set_at = NULL WHERE id = $1`, [numberId]);
          return ok;
      }
    },
  };
}
