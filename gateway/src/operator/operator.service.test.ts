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
