import { setTimeout as sleep } from 'node:timers/promises';
import DataLoader from 'dataloader';
import type { RequestDb } from '../core/db';
import { BillingRejected, type BillingOperation, type BillingResult, type BillingSession, type BillingSystem } from './billing.port';
import { SANDBOX_FAILING_POSITIONS, SANDBOX_REFUSED_CARD, sandboxIccid, sandboxSteering, sandboxSteerings, type SandboxSteering } from './billing.sandbox';

const ok: BillingResult = { ok: true };

const MONTHLY_FEES = {
  SERVICE_FEE: { table: 'billing.services', column: 'service_id', comment: `'Monthly fee: ' || (f.name->>'en')` },
  TARIFF_FEE: { table: 'billing.tariffs', column: 'tariff_id', comment: `'Monthly fee: tariff ' || (f.name->>'en')` },
} as const;

/**
 * A service connected, or a tariff plan moved to, during a month is charged its monthly fee for that month (its
 * service period) at once: an advance number from its own balance, a credit number on its account's. The balance row
 * is locked first, so two charges never start from the same balance.
 */
async function chargeMonthlyFee(db: RequestDb, numberId: number, kind: keyof typeof MONTHLY_FEES, itemId: number): Promise<void> {
  const fee = MONTHLY_FEES[kind];
  const [target] = await db.query<{ accountId: number; method: 'ADVANCE' | 'CREDIT'; fee: string }>(
    `SELECT n.account_id AS "accountId", a.payment_method AS method, f.monthly_fee::text AS fee
     FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id, ${fee.table} f WHERE n.id = $1 AND f.id = $2`,
    [numberId, itemId],
  );
  if (!target || BigInt(target.fee) <= 0n) return;
  let after: string;
  if (target.method === 'ADVANCE') {
    [{ after }] = await db.query<{ after: string }>(
      `UPDATE billing.numbers SET balance = balance - $2, available_funds = available_funds - $2 WHERE id = $1 RETURNING balance::text AS after`,
      [numberId, target.fee],
    );
  } else {
    await db.query(`SELECT id FROM billing.accounts WHERE id = $1 FOR UPDATE`, [target.accountId]);
    const [last] = await db.query<{ balance: string }>(
      `SELECT balance_after::text AS balance FROM billing.payments WHERE account_id = $1 ORDER BY paid_at DESC, id DESC LIMIT 1`,
      [target.accountId],
    );
    after = String(BigInt(last?.balance ?? '0') - BigInt(target.fee));
  }
  await db.query(
    `INSERT INTO billing.payments (account_id, number_id, paid_at, type, comment, amount, balance_before, balance_after,
       service_month, charge_kind, ${fee.column}, quantity)
     SELECT $1, $2, now(), 'CHARGE', ${fee.comment}, -f.monthly_fee, $4::bigint + f.monthly_fee, $4::bigint,
       date_trunc('month', now() AT TIME ZONE 'Asia/Almaty')::date, '${kind}', f.id, 1
     FROM ${fee.table} f WHERE f.id = $3`,
    [target.accountId, numberId, itemId, after],
  );
}

/** The plan's own allowances replace those of the plan the number leaves, for the month the move happens in. */
async function replaceAllowances(db: RequestDb, numberId: number, fromTariffId: number, toTariffId: number): Promise<void> {
  await db.query(
    `DELETE FROM billing.allowances a USING billing.tariff_allowances t
     WHERE a.number_id = $1 AND t.tariff_id = $2 AND t.kind = a.kind AND t.is_bonus = a.is_bonus AND a.valid_to >= current_date`,
    [numberId, fromTariffId],
  );
  await db.query(
    `INSERT INTO billing.allowances (number_id, kind, is_bonus, unlimited, available, total, unit, valid_from, valid_to)
     SELECT $1, kind, is_bonus, unlimited, total, total, unit, date_trunc('month', now() AT TIME ZONE 'Asia/Almaty')::date,
       (date_trunc('month', now() AT TIME ZONE 'Asia/Almaty') + interval '1 month')::date
     FROM billing.tariff_allowances WHERE tariff_id = $2`,
    [numberId, toTariffId],
  );
}

/**
 * What a sandbox's steering decides before the operation is applied: the failure forced on its documented numbers,
 * and, for a SIM replacement, that only a card of its own stock is taken (never the operator's, which is real) and
 * never its documented refused card. A real company's number is refused a card of a sandbox's stock the same way.
 */
async function steered(db: RequestDb, { numberId, kind, params }: BillingOperation, batch?: readonly BillingOperation[]): Promise<BillingResult | null> {
  const sandbox = batch ? await batchSteering(db, batch, numberId) : await sandboxSteering(db, numberId);
  const forced = sandbox ? SANDBOX_FAILING_POSITIONS[sandbox.position] : undefined;
  if (forced) return { ok: false, reason: forced };
  if (kind !== 'REPLACE_SIM') return null;
  const [card] = await db.query<{ stock: number | null }>(`SELECT stock_company_id AS stock FROM billing.sim_cards WHERE iccid = $1`, [params.iccid]);
  if ((card?.stock ?? null) !== (sandbox?.companyId ?? null)) return { ok: false, reason: 'SIM_NOT_FREE' };
  if (sandbox && params.iccid === sandboxIccid(sandbox.no, SANDBOX_REFUSED_CARD)) return { ok: false, reason: 'SIM_NOT_FREE' };
  return null;
}

/**
 * Sandbox steerings read through `db`, the numbers of one tick in one statement: the delays of a batch of
 * operations, awaited side by side, are looked up together. Nothing is cached beyond the batch.
 */
const steeringLoaders = new WeakMap<BillingSession, DataLoader<number, SandboxSteering | null>>();
function steeringLoader(db: BillingSession): DataLoader<number, SandboxSteering | null> {
  let loader = steeringLoaders.get(db);
  if (!loader) steeringLoaders.set(db, (loader = new DataLoader((ids) => sandboxSteerings(db, ids), { cache: false })));
  return loader;
}

/** The steerings of a batch's numbers, read once (at its first operation) for the batch's lifetime. */
const batchSteerings = new WeakMap<readonly BillingOperation[], Promise<Map<number, SandboxSteering | null>>>();
async function batchSteering(db: RequestDb, batch: readonly BillingOperation[], numberId: number): Promise<SandboxSteering | null> {
  let steerings = batchSteerings.get(batch);
  if (!steerings) {
    const ids = [...new Set(batch.map((op) => op.numberId))];
    steerings = sandboxSteerings(db, ids).then((rows) => new Map(ids.map((id, i) => [id, rows[i]])));
    batchSteerings.set(batch, steerings);
  }
  const steering = (await steerings).get(numberId);
  return steering === undefined ? sandboxSteering(db, numberId) : steering;
}

/**
 * The shipped billing system: the `billing` schema of this database, answering after `delayMs` (a sandbox's
 * operations after the sandbox's own delay), and refusing what the real one refuses (a top-up needed first, a card
 * taken meanwhile) and what a sandbox's steering says.
 */
export function createBillingSimulator(delayMs: number): BillingSystem {
  return {
    processingDelay: async (db: BillingSession, operation: BillingOperation) => {
      const sandbox = await steeringLoader(db).load(operation.numberId);
      const wait = sandbox ? sandbox.delayMs : delayMs;
      if (wait > 0) await sleep(wait);
    },

    async apply(db: RequestDb, operation: BillingOperation, batch?: readonly BillingOperation[]): Promise<BillingResult> {
      const { numberId, kind, params } = operation;
      const decided = await steered(db, operation, batch);
      if (decided) return decided;
      switch (kind) {
        case 'BLOCK_NUMBER':
          return ok;
        case 'UNBLOCK_NUMBER': {
          const [number] = await db.query<{ negative: boolean }>(
            `SELECT n.balance < 0 AND a.payment_method = 'ADVANCE' AS negative
             FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id WHERE n.id = $1`,
            [numberId],
          );
          return number.negative ? { ok: false, reason: 'NEGATIVE_BALANCE' } : ok;
        }
        case 'REPLACE_SIM': {
          await db.query(`UPDATE billing.sim_cards SET retired_at = now() WHERE number_id = $1 AND retired_at IS NULL`, [numberId]);
          const taken = await db.query(
            `UPDATE billing.sim_cards SET number_id = $1, installed_at = now(), replaced_at = now()
             WHERE iccid = $2 AND number_id IS NULL AND retired_at IS NULL RETURNING id`,
            [numberId, params.iccid],
          );
          if (taken.length === 0) throw new BillingRejected('SIM_NOT_FREE');
          return ok;
        }
        case 'CONNECT_SERVICE': {
          const [funds] = await db.query<{ short: boolean }>(
            `SELECT a.payment_method = 'ADVANCE' AND n.balance < s.monthly_fee AS short
             FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id, billing.services s
             WHERE n.id = $1 AND s.id = $2`,
            [numberId, Number(params.serviceId)],
          );
          if (funds?.short) return { ok: false, reason: 'INSUFFICIENT_FUNDS' };
          const connected = await db.query(
            `INSERT INTO billing.connected_services (number_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING service_id`,
            [numberId, Number(params.serviceId)],
          );
          if (connected.length > 0) await chargeMonthlyFee(db, numberId, 'SERVICE_FEE', Number(params.serviceId));
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
        case 'CHANGE_TARIFF': {
          const tariffId = Number(params.tariffId);
          const [number] = await db.query<{ tariffId: number; short: boolean }>(
            `SELECT n.tariff_id AS "tariffId", a.payment_method = 'ADVANCE' AND n.balance < t.monthly_fee AS short
             FROM billing.numbers n JOIN billing.accounts a ON a.id = n.account_id, billing.tariffs t WHERE n.id = $1 AND t.id = $2 FOR UPDATE OF n`,
            [numberId, tariffId],
          );
          if (number.short) return { ok: false, reason: 'INSUFFICIENT_FUNDS_FOR_TARIFF' };
          if (number.tariffId === tariffId) return ok;
          await db.query(`UPDATE billing.numbers SET tariff_id = $2 WHERE id = $1`, [numberId, tariffId]);
          await replaceAllowances(db, numberId, number.tariffId, tariffId);
          await chargeMonthlyFee(db, numberId, 'TARIFF_FEE', tariffId);
          return ok;
        }
      }
      const unknown: never = kind;
      throw new Error(`The billing system does not know the operation ${unknown}`);
    },
  };
}
