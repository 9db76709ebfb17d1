import type { BillingSession } from './billing.port';
import type { BillingFailureCode } from './billing.failures';
import { luhnCheckDigit } from './luhn';

/**
 * Sandboxes of the simulated billing system. A sandbox is a company of its own (`billing.companies.sandbox_of` names
 * the real company that owns it) with a small generated fleet; everything of it is derived from its `sandbox_no`, so
 * that its identifiers are documented by pattern and never those of real numbers:
 *
 * - BIN `99` + the sandbox number in 10 digits;
 * - MSISDNs `7000` + the sandbox number in 5 digits + the position 01–20;
 * - ICCIDs `89770` + the sandbox number in 6 digits + `00` + a card number in 3 digits + `000` + a Luhn check digit:
 *   cards 001–020 are in the fleet's numbers, 101–105 are the sandbox's own free stock, 199 is a free card that the
 *   billing system always refuses.
 *
 * Steering: every operation on the numbers at the positions of SANDBOX_FAILING_POSITIONS fails at the billing system
 * with its code; a SIM replacement with card 199 fails with SIM_NOT_FREE; every operation of a sandbox waits its
 * own delay instead of BILLING_DELAY_MS.
 */
export const SANDBOX_FLEET_SIZE = 20;
export const SANDBOX_FAILING_POSITIONS: Readonly<Record<string, BillingFailureCode>> = {
  '18': 'NEGATIVE_BALANCE',
  '19': 'INSUFFICIENT_FUNDS',
  '20': 'INSUFFICIENT_FUNDS_FOR_TARIFF',
};
export const SANDBOX_STOCK_CARDS = [101, 102, 103, 104, 105];
export const SANDBOX_REFUSED_CARD = 199;

const pad = (value: number, width: number) => String(value).padStart(width, '0');
export const sandboxBin = (no: number) => `99${pad(no, 10)}`;
export const sandboxMsisdn = (no: number, position: number) => `7000${pad(no, 5)}${pad(position, 2)}`;
export const sandboxIccid = (no: number, card: number) => {
  const payload = `89770${pad(no, 6)}00${pad(card, 3)}000`;
  return payload + luhnCheckDigit(payload);
};

export interface SandboxRow {
  companyId: number;
  ownerId: number;
  no: number;
  name: string;
  delayMs: number;
}

const SANDBOX = `SELECT id AS "companyId", sandbox_of AS "ownerId", sandbox_no AS no, name, sandbox_delay_ms AS "delayMs" FROM billing.companies`;

/** The sandbox's steering for an operation: its delay and, when the number or card is steered, the forced failure. */
export interface SandboxSteering {
  companyId: number;
  no: number;
  delayMs: number;
  position: string;
}

const STEERING = `SELECT n.id AS "numberId", c.id AS "companyId", c.sandbox_no AS no, c.sandbox_delay_ms AS "delayMs", right(n.msisdn, 2) AS position
  FROM billing.numbers n JOIN billing.companies c ON c.id = n.company_id`;

/** The steering of the sandbox a number belongs to; null for a number of a real company. */
export async function sandboxSteering(db: BillingSession, numberId: number): Promise<SandboxSteering | null> {
  return (await sandboxSteerings(db, [numberId]))[0];
}

/** `sandboxSteering` of many numbers in one statement, in their order. */
export async function sandboxSteerings(db: BillingSession, numberIds: readonly number[]): Promise<(SandboxSteering | null)[]> {
  const rows = await db.query<SandboxSteering & { numberId: number }>(`${STEERING} WHERE n.id = ANY($1::int[]) AND c.sandbox_of IS NOT NULL`, [numberIds]);
  const byNumber = new Map(rows.map(({ numberId, ...steering }) => [numberId, steering]));
  return numberIds.map((id) => byNumber.get(id) ?? null);
}

export const sandboxes = {
  async get(db: BillingSession, companyId: number): Promise<SandboxRow | null> {
    const [row] = await db.query<SandboxRow>(`${SANDBOX} WHERE id = $1 AND sandbox_of IS NOT NULL`, [companyId]);
    return row ?? null;
  },

  async listOf(db: BillingSession, ownerId: number): Promise<SandboxRow[]> {
    return db.query<SandboxRow>(`${SANDBOX} WHERE sandbox_of = $1 ORDER BY id`, [ownerId]);
  },

  /** A new sandbox company of `owner`, with its fleet. `db` must be a transaction. */
  async create(db: BillingSession, ownerId: number): Promise<SandboxRow> {
    const [{ no }] = await db.query<{ no: number }>(`SELECT nextval('billing.sandbox_no_seq')::int AS no`);
    const [row] = await db.query<SandboxRow>(
      `INSERT INTO billing.companies (bin, name, sandbox_of, sandbox_no, sandbox_delay_ms)
       SELECT $1, 'Sandbox of ' || name, id, $3, 0 FROM billing.companies WHERE id = $2 AND sandbox_of IS NULL
       RETURNING id AS "companyId", sandbox_of AS "ownerId", sandbox_no AS no, name, sandbox_delay_ms AS "delayMs"`,
      [sandboxBin(no), ownerId, no],
    );
    await writeFleet(db, row);
    return row;
  },

  /** Holds the sandbox for the transaction, so that two resets of it run one after the other. */
  async lock(db: BillingSession, companyId: number): Promise<void> {
    await db.query(`SELECT id FROM billing.companies WHERE id = $1 FOR UPDATE`, [companyId]);
  },

  async setDelay(db: BillingSession, companyId: number, delayMs: number): Promise<void> {
    await db.query(`UPDATE billing.companies SET sandbox_delay_ms = $2 WHERE id = $1 AND sandbox_of IS NOT NULL`, [companyId, delayMs]);
  },

  /**
   * Puts the fleet back as it was generated: the numbers keep their ids (so operations and events that named them
   * could name them again), everything else of the billing system is written anew. `db` must be a transaction.
   */
  async resetFleet(db: BillingSession, sandbox: SandboxRow): Promise<void> {
    const numbers = `(SELECT id FROM billing.numbers WHERE company_id = $1)`;
    for (const table of ['usage_records', 'allowances', 'connected_services', 'registered_devices', 'call_forwardings']) {
      await db.query(`DELETE FROM billing.${table} WHERE number_id IN ${numbers}`, [sandbox.companyId]);
    }
    await db.query(`DELETE FROM billing.payments WHERE account_id IN (SELECT id FROM billing.accounts WHERE company_id = $1)`, [sandbox.companyId]);
    await db.query(`DELETE FROM billing.sim_cards WHERE number_id IN ${numbers} OR stock_company_id = $1`, [sandbox.companyId]);
    await writeFleet(db, sandbox);
  },
};

/**
 * Writes (or rewrites over the same identifiers) the generated fleet: an Advance and a Credit account, 20 numbers on
 * the operator's tariff plans (not M2M) with their SIM cards, allowances, a service each where the plan has one, a
 * top-up per Advance number and a few days of usage, and the sandbox's free stock.
 */
async function writeFleet(db: BillingSession, { companyId, no }: SandboxRow): Promise<void> {
  const accounts = await db.query<{ id: number; method: 'ADVANCE' | 'CREDIT' }>(
    `INSERT INTO billing.accounts (company_id, account_no, payment_method, credit_limit)
     VALUES ($1, $2, 'ADVANCE', 0), ($1, $3, 'CREDIT', 5000000)
     ON CONFLICT (account_no) DO UPDATE SET credit_limit = EXCLUDED.credit_limit RETURNING id, payment_method AS method`,
    [companyId, `SBX${no}-A`, `SBX${no}-C`],
  );
  const advance = accounts.find((a) => a.method === 'ADVANCE')!.id;
  const credit = accounts.find((a) => a.method === 'CREDIT')!.id;
  const tariffs = await db.query<{ id: number }>(`SELECT id FROM billing.tariffs WHERE code <> 'M2M' ORDER BY monthly_fee, id`);
  if (tariffs.length === 0) throw new Error('The billing system has no tariff plan for a sandbox fleet');
  await db.query(`INSERT INTO billing.company_tariffs (company_id, tariff_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`, [
    companyId,
    tariffs.map((t) => t.id),
  ]);
  const positions = Array.from({ length: SANDBOX_FLEET_SIZE }, (_, i) => i + 1);
  // Positions 1–12 on the Advance account with 10,000.00 each; 13–20 on the Credit account.
  const numbers = await db.query<{ id: number; position: number }>(
    `INSERT INTO billing.numbers (msisdn, company_id, account_id, tariff_id, state, state_changed_at, balance, available_funds,
       registration_form, sms_ussd_ban, secret_code_set_at, last_imei, individual_limit, roaming_debt, is_m2m)
     SELECT m, $1, a, t, 'ACTIVE', now(), b, b, 'SANDBOX-' || $2 || '-' || p, false, NULL, NULL, NULL, NULL, false
     FROM unnest($3::text[], $4::int[], $5::int[], $6::bigint[], $7::int[]) AS f(m, a, t, b, p)
     ON CONFLICT (msisdn) DO UPDATE SET account_id = EXCLUDED.account_id, tariff_id = EXCLUDED.tariff_id, state = 'ACTIVE',
       state_changed_at = now(), balance = EXCLUDED.balance, available_funds = EXCLUDED.available_funds, sms_ussd_ban = false,
       secret_code_set_at = NULL, last_imei = NULL, individual_limit = NULL, roaming_debt = NULL
     WHERE billing.numbers.company_id = $1
     RETURNING id, right(msisdn, 2)::int AS position`,
    [
      companyId,
      no,
      positions.map((p) => sandboxMsisdn(no, p)),
      positions.map((p) => (p <= 12 ? advance : credit)),
      positions.map((p) => tariffs[p % tariffs.length].id),
      positions.map((p) => (p <= 12 ? 1_000_000 : 0)),
      positions,
    ],
  );
  if (numbers.length !== SANDBOX_FLEET_SIZE) throw new Error('A sandbox MSISDN is taken by another company');
  const ids = numbers.sort((a, b) => a.position - b.position).map((n) => n.id);
  const cards = [...positions, ...SANDBOX_STOCK_CARDS, SANDBOX_REFUSED_CARD];
  await db.query(
    `INSERT INTO billing.sim_cards (iccid, pin1, pin2, puk1, puk2, number_id, installed_at, stock_company_id)
     SELECT i, '1111', '2222', '11111111', '22222222', n, CASE WHEN n IS NULL THEN NULL ELSE now() END, $1
     FROM unnest($2::text[], $3::int[]) AS c(i, n)`,
    [companyId, cards.map((card) => sandboxIccid(no, card)), cards.map((card) => (card <= SANDBOX_FLEET_SIZE ? ids[card - 1] : null))],
  );
  await db.query(
    `INSERT INTO billing.allowances (number_id, kind, is_bonus, unlimited, available, total, unit, valid_from, valid_to)
     SELECT n.id, t.kind, t.is_bonus, t.unlimited, t.total, t.total, t.unit, date_trunc('month', now() AT TIME ZONE 'Asia/Almaty')::date,
       (date_trunc('month', now() AT TIME ZONE 'Asia/Almaty') + interval '1 month')::date
     FROM billing.numbers n JOIN billing.tariff_allowances t ON t.tariff_id = n.tariff_id WHERE n.id = ANY($1)`,
    [ids],
  );
  await db.query(
    `INSERT INTO billing.connected_services (number_id, service_id)
     SELECT n.id, (SELECT s.service_id FROM billing.tariff_services s WHERE s.tariff_id = n.tariff_id ORDER BY s.service_id LIMIT 1)
     FROM billing.numbers n WHERE n.id = ANY($1) AND EXISTS (SELECT 1 FROM billing.tariff_services s WHERE s.tariff_id = n.tariff_id)`,
    [ids],
  );
  await db.query(
    `INSERT INTO billing.payments (account_id, number_id, paid_at, type, comment, amount, balance_before, balance_after, channel)
     SELECT n.account_id, n.id, now() - interval '3 days', 'PAYMENT', 'Top-up', n.balance, 0, n.balance, 'PAYMENT_ORDER'
     FROM billing.numbers n WHERE n.id = ANY($1) AND n.balance > 0`,
    [ids],
  );
  await db.query(
    `INSERT INTO billing.usage_records (number_id, started_at, type, direction, other_party, duration_seconds, volume_kb, cost)
     SELECT n.id, now() - (d || ' days')::interval, k.type::billing.usage_type, 'OUTGOING',
       CASE WHEN k.type = 'DATA' THEN NULL ELSE '77010000000' END,
       CASE WHEN k.type = 'CALL' THEN 60 * d ELSE NULL END, CASE WHEN k.type = 'DATA' THEN 1024 * d ELSE NULL END, 100 * d
     FROM billing.numbers n, generate_series(1, 3) AS d, (VALUES ('CALL'), ('SMS'), ('DATA')) AS k(type) WHERE n.id = ANY($1)`,
    [ids],
  );
}
