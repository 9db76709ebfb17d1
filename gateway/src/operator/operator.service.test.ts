import { isLuhnValid } from '../billing/luhn';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { seedDemo } from '../db/seed/seed';
import { RequestDb } from '../core/db';
import { OperatorError, operatorService } from './operator.service';

describe('operator commands', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.dataSource.transaction((manager) => seedDemo(manager));
  });
  afterAll(() => db.drop());
  const sql = () => new RequestDb(db.dataSource);

  const grantedBins = async (phone: string) =>
    (
      await db.dataSource.query(
        `SELECT c.bin FROM cabinet.grants g JOIN billing.companies c ON c.id = g.company_id
         JOIN cabinet.administrators a ON a.id = g.administrator_id WHERE a.phone = $1 ORDER BY 1`,
        [phone],
      )
    ).map((r: { bin: string }) => r.bin);

  it('approves a registration request: the administrator exists without a password and holds the company', async () => {
    const [request] = await db.dataSource.query(
      `INSERT INTO cabinet.registration_requests (bin, name, phone, email) VALUES ('750750750750', 'Ахметова Айгерим', '77071112233', 'a@example.kz') RETURNING id`,
    );
    expect((await operatorService.requests(sql())).map((r) => r.id)).toContain(request.id);
    await operatorService.approve(sql(), request.id);
    const [admin] = await db.dataSource.query(`SELECT password_hash FROM cabinet.administrators WHERE phone = '77071112233'`);
    expect(admin.password_hash).toBeNull();
    expect(await grantedBins('77071112233')).toEqual(['750750750750']);
    await expect(operatorService.approve(sql(), request.id)).rejects.toThrow(OperatorError);
    expect((await operatorService.requests(sql())).map((r) => r.id)).not.toContain(request.id);
  });

  it('grants and revokes access by BIN', async () => {
    const [other] = await db.dataSource.query(`SELECT bin FROM billing.companies WHERE bin NOT IN ('750750750750', '800800800800') LIMIT 1`);
    await operatorService.grant(sql(), '77012112170', other.bin);
    expect(await grantedBins('77012112170')).toContain(other.bin);
    await operatorService.revoke(sql(), '77012112170', other.bin);
    expect(await grantedBins('77012112170')).not.toContain(other.bin);
    await expect(operatorService.revoke(sql(), '77012112170', other.bin)).rejects.toThrow(/had no access/);
    await expect(operatorService.grant(sql(), '77012112170', '111111111111')).rejects.toThrow(/No company/);
  });

  it('removes an administrator: no grant, session, trusted browser, open recovery or password is left, and approval brings them back', async () => {
    const [request] = await db.dataSource.query(
      `INSERT INTO cabinet.registration_requests (bin, name, phone, email) VALUES ('750750750750', 'Серикова Дана', '77071114455', 'd@example.kz') RETURNING id`,
    );
    await operatorService.approve(sql(), request.id);
    const [{ id }] = await db.dataSource.query(`SELECT id FROM cabinet.administrators WHERE phone = '77071114455'`);
    await db.dataSource.query(`UPDATE cabinet.administrators SET password_hash = 'x' WHERE id = $1`, [id]);
    await operatorService.grant(sql(), '77071114455', '800800800800');
    await db.dataSource.query(`INSERT INTO cabinet.sessions (token_hash, administrator_id, expires_at) VALUES ('\\x01', $1, now() + interval '1 hour')`, [id]);
    await db.dataSource.query(`INSERT INTO cabinet.trusted_devices (token_hash, administrator_id) VALUES ('\\x02', $1)`, [id]);
    await db.dataSource.query(
      `INSERT INTO cabinet.recoveries (administrator_id, code_hash, code_expires_at, last_sent_at, sends) VALUES ($1, '\\x03', now() + interval '10 minutes', now(), 1)`,
      [id],
    );

    expect(await operatorService.remove(sql(), '77071114455')).toBe('Серикова Дана removed: 2 companies and 1 sessions ended');
    const state = async () =>
      (
        await db.dataSource.query(
          `SELECT a.removed_at IS NOT NULL AS removed, a.password_hash IS NULL AS "noPassword",
             (SELECT count(*)::int FROM cabinet.grants WHERE administrator_id = a.id) AS grants,
             (SELECT count(*)::int FROM cabinet.sessions WHERE administrator_id = a.id AND revoked_at IS NULL) AS sessions,
             (SELECT count(*)::int FROM cabinet.trusted_devices WHERE administrator_id = a.id) AS devices,
             (SELECT count(*)::int FROM cabinet.recoveries WHERE administrator_id = a.id AND voided_at IS NULL AND finished_at IS NULL) AS recoveries
           FROM cabinet.administrators a WHERE a.id = $1`,
          [id],
        )
      )[0];
    expect(await state()).toEqual({ removed: true, noPassword: true, grants: 0, sessions: 0, devices: 0, recoveries: 0 });
    await expect(operatorService.remove(sql(), '77071114455')).rejects.toThrow(/No administrator with phone/);
    await expect(operatorService.grant(sql(), '77071114455', '750750750750')).rejects.toThrow(/No administrator with phone/);

    const [again] = await db.dataSource.query(
      `INSERT INTO cabinet.registration_requests (bin, name, phone, email) VALUES ('750750750750', 'Серикова Дана', '77071114455', 'd@example.kz') RETURNING id`,
    );
    await operatorService.approve(sql(), again.id);
    expect(await state()).toEqual({ removed: false, noPassword: true, grants: 1, sessions: 0, devices: 0, recoveries: 0 });
  });

  it('adds free SIM cards with valid check digits and refuses a bad ICCID', async () => {
    const added = await operatorService.addSims(sql(), ['89997020000000000015'], 3);
    expect(added).toHaveLength(4);
    expect(added.every(isLuhnValid)).toBe(true);
    const [{ free }] = await db.dataSource.query(
      `SELECT count(*)::int AS free FROM billing.sim_cards WHERE iccid = ANY($1) AND number_id IS NULL AND retired_at IS NULL`,
      [added],
    );
    expect(free).toBe(4);
    await expect(operatorService.addSims(sql(), ['89997020000000000018'])).rejects.toThrow(/check digit/);
  });
});
