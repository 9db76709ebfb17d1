import { createHash } from 'node:crypto';
import { toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type TestApp } from '../test/app';
import { until } from '../test/until';

const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id name phone } }';
const ME = '{ me { phone } }';
const START = 'mutation($p: String!) { startPasswordRecovery(phone: $p) { resendAvailableAt codeExpiresAt } }';
const VERIFY = 'mutation($p: String!, $c: String!) { verifyRecoveryCode(phone: $p, code: $c) { recoveryToken expiresAt } }';
const COMPLETE = 'mutation($t: String!, $w: String!, $r: String!) { completePasswordRecovery(recoveryToken: $t, password: $w, passwordRepeat: $r) { phone } }';
const NEW_PASSWORD = 'жаңбырлы көктемгі таң атты';

describe.each(ENGINES)('sign-in, sessions and recovery on %s', (engine) => {
  let t: TestApp;
  let companyId: number;

  beforeAll(async () => {
    t = await startTestApp(engine);
    [{ id: companyId }] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
  });
  afterAll(() => t.close());

  const lastCode = async (phone: string): Promise<string> => {
    const [row] = await t.db.dataSource.query(`SELECT text FROM cabinet.sms_outbox WHERE phone = $1 ORDER BY id DESC LIMIT 1`, [phone]);
    return /\b(\d{6})\b/.exec(row.text)![1];
  };
  const smsCount = async (phone: string) => Number((await t.db.dataSource.query(`SELECT count(*) FROM cabinet.sms_outbox WHERE phone = $1`, [phone]))[0].count);
  const allowResend = (phone: string) =>
    t.db.dataSource.query(`UPDATE cabinet.rate_limits SET window_started_at = window_started_at - interval '61 seconds' WHERE key = $1`, [
      `recovery:resend:${phone}`,
    ]);

  describe('login', () => {
    it('signs in and sets an httpOnly, SameSite=Strict session cookie, without Secure on localhost', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const res = await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD });
      expect(res.data!.login.phone).toBe(admin.phone);
      const header = String([res.headers['set-cookie']].flat()[0]);
      expect(header).toMatch(/^cabinet_session=[A-Za-z0-9_-]{43}; /);
      expect(header).toMatch(/HttpOnly/);
      expect(header).toMatch(/SameSite=Strict/);
      expect(header).not.toMatch(/Secure/);
      expect((await t.request(ME, {}, { cookie: sessionCookie(res.headers) })).data!.me.phone).toBe(admin.phone);
    });

    it('marks the cookie Secure outside localhost', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const res = await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD }, { host: 'cabinet.example.kz' });
      expect(String([res.headers['set-cookie']].flat()[0])).toMatch(/; Secure/);
    });

    it('answers a wrong password and an unknown phone alike', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const wrong = await t.request(LOGIN, { p: admin.phone, w: 'not the password at all' });
      const unknown = await t.request(LOGIN, { p: '77999999999', w: 'not the password at all' });
      expect(wrong.errors![0]).toEqual(unknown.errors![0]);
      expect(wrong.errors![0].extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('refuses a malformed phone as bad input', async () => {
      const res = await t.request(LOGIN, { p: '8701211217', w: 'x' });
      expect(res.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'phone' });
    });

    it('answers an administrator without a password like a wrong password, so that phones cannot be told apart', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId], password: null });
      const unset = await t.request(LOGIN, { p: admin.phone, w: 'anything at all' });
      const unknown = await t.request(LOGIN, { p: '77999999998', w: 'anything at all' });
      expect(unset.errors![0]).toEqual(unknown.errors![0]);
      expect(unset.errors![0].extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
    });

    it('holds back the sixth try at a phone, even with the right password, only until its delay has passed', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      for (let i = 0; i < 5; i++) {
        expect((await t.request(LOGIN, { p: admin.phone, w: `wrong ${i}` })).errors![0].extensions?.code).toBe('INVALID_CREDENTIALS');
      }
      const blocked = await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD });
      expect(blocked.errors![0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(admin.phone);
    });

    it('records successful and failed sign-ins with the client address, never the password', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      await t.request(LOGIN, { p: admin.phone, w: 'a wrong secret phrase' });
      await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD });
      const rows = await t.db.dataSource.query(
        `SELECT action, status, host(client_address) AS address, details::text FROM cabinet.action_log WHERE actor_phone = $1 ORDER BY id`,
        [admin.phone],
      );
      expect(rows.map((r: { status: string }) => r.status)).toEqual(['FAILURE', 'SUCCESS']);
      expect(rows[0]).toMatchObject({ action: 'LOGIN', address: '127.0.0.1' });
      expect(JSON.stringify(rows)).not.toMatch(/wrong secret|horse battery/);
    });
  });

  describe('sessions', () => {
    const signIn = async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const res = await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD });
      return { admin, cookie: sessionCookie(res.headers) };
    };

    it('end after 30 idle minutes', async () => {
      const { cookie, admin } = await signIn();
      await t.db.dataSource.query(
        `UPDATE cabinet.sessions SET last_seen_at = now() - interval '29 minutes' WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1)`,
        [admin.phone],
      );
      expect((await t.request(ME, {}, { cookie })).data!.me).not.toBeNull();
      await t.db.dataSource.query(
        `UPDATE cabinet.sessions SET last_seen_at = now() - interval '31 minutes' WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1)`,
        [admin.phone],
      );
      // 31 minutes later: the process's memory of the session is long gone too.
      t.afterSessionCache();
      expect((await t.request(ME, {}, { cookie })).data!.me).toBeNull();
      expect((await t.request('{ companies { id } }', {}, { cookie })).errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('end 12 hours after sign-in however active', async () => {
      const { cookie, admin } = await signIn();
      await t.db.dataSource.query(
        `UPDATE cabinet.sessions SET expires_at = now() - interval '1 second' WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1)`,
        [admin.phone],
      );
      expect((await t.request(ME, {}, { cookie })).data!.me).toBeNull();
    });

    it('end on logout, which clears the cookie', async () => {
      const { cookie } = await signIn();
      const res = await t.request('mutation { logout }', {}, { cookie });
      expect(res.data!.logout).toBe(true);
      expect(String([res.headers['set-cookie']].flat()[0])).toMatch(/^cabinet_session=; Max-Age=0/);
      expect((await t.request(ME, {}, { cookie })).data!.me).toBeNull();
    });

    it('all end on a password change, but the one that made it continues', async () => {
      const { cookie, admin } = await signIn();
      const other = sessionCookie((await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD })).headers);
      const change = 'mutation($c: String!, $w: String!, $r: String!) { changePassword(currentPassword: $c, password: $w, passwordRepeat: $r) { phone } }';
      const wrong = await t.request(change, { c: 'not it', w: NEW_PASSWORD, r: NEW_PASSWORD }, { cookie });
      expect(wrong.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
      const res = await t.request(change, { c: TEST_PASSWORD, w: NEW_PASSWORD, r: NEW_PASSWORD }, { cookie });
      expect(res.data!.changePassword.phone).toBe(admin.phone);
      expect((await t.request(ME, {}, { cookie })).data!.me).toBeNull();
      expect((await t.request(ME, {}, { cookie: other })).data!.me).toBeNull();
      expect((await t.request(ME, {}, { cookie: sessionCookie(res.headers) })).data!.me.phone).toBe(admin.phone);
      expect((await t.request(LOGIN, { p: admin.phone, w: NEW_PASSWORD })).data!.login.phone).toBe(admin.phone);
    });

    it('change nothing when the session that asks ends under the password change', async () => {
      const { cookie, admin } = await signIn();
      const [{ id: sessionId }] = await t.db.dataSource.query(`SELECT id::text FROM cabinet.sessions WHERE administrator_id = $1`, [admin.id]);
      const password = async () => (await t.db.dataSource.query(`SELECT password_hash FROM cabinet.administrators WHERE id = $1`, [admin.id]))[0].password_hash;
      const before = await password();
      // Holds the session's row: the change waits at its renewal, and the session is ended before the row is let go.
      const holder = t.db.dataSource.createQueryRunner();
      await holder.connect();
      try {
        await holder.startTransaction();
        await holder.query(`SELECT 1 FROM cabinet.sessions WHERE id = $1 FOR UPDATE`, [sessionId]);
        const change = t.request(
          'mutation($c: String!, $w: String!) { changePassword(currentPassword: $c, password: $w, passwordRepeat: $w) { phone } }',
          { c: TEST_PASSWORD, w: NEW_PASSWORD },
          { cookie },
        );
        await until('the change to wait for the session’s row', async () => {
          const waiting = await t.db.dataSource.query(
            `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE cabinet.sessions s SET token_hash%'`,
          );
          return waiting.length === 1;
        });
        await holder.query(`UPDATE cabinet.sessions SET revoked_at = now() WHERE id = $1`, [sessionId]);
        await holder.commitTransaction();
        const res = await change;
        expect(res.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
        expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/cabinet_session=[A-Za-z0-9_-]{43}/);
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
      expect(await password()).toBe(before);
      const actions = await t.db.dataSource.query(`SELECT 1 FROM cabinet.action_log WHERE administrator_id = $1 AND action = 'CHANGE_PASSWORD'`, [admin.id]);
      expect(actions).toEqual([]);
      expect((await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(admin.phone);
    });

    it('refuses a weak new password with the reason', async () => {
      const { cookie } = await signIn();
      const change =
        'mutation($w: String!, $r: String!) { changePassword(currentPassword: "' + TEST_PASSWORD + '", password: $w, passwordRepeat: $r) { phone } }';
      const short = await t.request(change, { w: 'fourteen chars', r: 'fourteen chars' }, { cookie });
      expect(short.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password', reason: 'TOO_SHORT' });
      const common = await t.request(change, { w: 'passwordpassword', r: 'passwordpassword' }, { cookie });
      expect(common.errors![0].extensions).toMatchObject({ field: 'password', reason: 'COMMON' });
      const decorated = await t.request(change, { w: 'P@ssw0rd12345678', r: 'P@ssw0rd12345678' }, { cookie });
      expect(decorated.errors![0].extensions).toMatchObject({ field: 'password', reason: 'COMMON' });
      const same = await t.request(change, { w: TEST_PASSWORD, r: TEST_PASSWORD }, { cookie });
      expect(same.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password', reason: 'SAME_AS_CURRENT' });
      const mismatch = await t.request(change, { w: NEW_PASSWORD, r: `${NEW_PASSWORD}!` }, { cookie });
      expect(mismatch.errors![0].extensions).toMatchObject({ field: 'repeat', reason: 'MISMATCH' });
    });
  });

  describe('recovery', () => {
    it('walks phone → SMS code → new password → signed in, ending older sessions', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const old = sessionCookie((await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD })).headers);
      const start = await t.request(START, { p: admin.phone });
      const resendAt = Date.parse(start.data!.startPasswordRecovery.resendAvailableAt);
      expect(resendAt - Date.now()).toBeGreaterThan(55_000);
      expect(resendAt - Date.now()).toBeLessThanOrEqual(60_000);
      const code = await lastCode(admin.phone);
      const verify = await t.request(VERIFY, { p: admin.phone, c: code });
      const token = verify.data!.verifyRecoveryCode.recoveryToken;
      expect((await t.request(VERIFY, { p: admin.phone, c: code })).errors![0].extensions?.code).toBe('INVALID_RECOVERY_CODE');
      const done = await t.request(COMPLETE, { t: token, w: NEW_PASSWORD, r: NEW_PASSWORD });
      expect(done.data!.completePasswordRecovery.phone).toBe(admin.phone);
      expect((await t.request(ME, {}, { cookie: sessionCookie(done.headers) })).data!.me.phone).toBe(admin.phone);
      expect((await t.request(ME, {}, { cookie: old })).data!.me).toBeNull();
      expect((await t.request(COMPLETE, { t: token, w: NEW_PASSWORD, r: NEW_PASSWORD })).errors![0].extensions?.code).toBe('RECOVERY_EXPIRED');
      expect((await t.request(LOGIN, { p: admin.phone, w: NEW_PASSWORD })).data!.login.phone).toBe(admin.phone);
    });

    it('is the first sign-in of an administrator without a password', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId], password: null });
      await t.request(START, { p: admin.phone });
      const token = (await t.request(VERIFY, { p: admin.phone, c: await lastCode(admin.phone) })).data!.verifyRecoveryCode.recoveryToken;
      const done = await t.request(COMPLETE, { t: token, w: NEW_PASSWORD, r: NEW_PASSWORD });
      expect(done.data!.completePasswordRecovery.phone).toBe(admin.phone);
    });

    it('stores only a hash of the code', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      await t.request(START, { p: admin.phone });
      const code = await lastCode(admin.phone);
      const [row] = await t.db.dataSource.query(
        `SELECT encode(code_hash, 'hex') AS hash FROM cabinet.recoveries r JOIN cabinet.administrators a ON a.id = r.administrator_id WHERE a.phone = $1`,
        [admin.phone],
      );
      expect(row.hash).toHaveLength(64);
      expect(row.hash).not.toContain(code);
      const [{ id }] = await t.db.dataSource.query(
        `SELECT r.id::text FROM cabinet.recoveries r JOIN cabinet.administrators a ON a.id = r.administrator_id WHERE a.phone = $1`,
        [admin.phone],
      );
      // Not a plain digest that a leaked row lets anyone reverse by trying every code.
      expect(row.hash).not.toBe(createHash('sha256').update(`${id}:${code}`).digest('hex'));
    });

    it('allows a resend only 60 s after the last send and says when', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      await t.request(START, { p: admin.phone });
      const early = await t.request(START, { p: admin.phone });
      expect(early.errors![0].extensions?.code).toBe('RATE_LIMITED');
      expect(early.errors![0].extensions?.retryAfterSeconds).toBeGreaterThan(55);
      expect(early.errors![0].extensions?.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(await smsCount(admin.phone)).toBe(1);
      const first = await lastCode(admin.phone);
      await allowResend(admin.phone);
      expect((await t.request(START, { p: admin.phone })).errors).toBeUndefined();
      expect(await smsCount(admin.phone)).toBe(2);
      const second = await lastCode(admin.phone);
      if (first !== second) expect((await t.request(VERIFY, { p: admin.phone, c: first })).errors![0].extensions?.code).toBe('INVALID_RECOVERY_CODE');
      expect((await t.request(VERIFY, { p: admin.phone, c: second })).data!.verifyRecoveryCode.recoveryToken).toHaveLength(43);
    });

    it('voids the code after five wrong attempts, counted across resends', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      await t.request(START, { p: admin.phone });
      const wrong = async () => {
        const code = await lastCode(admin.phone);
        return t.request(VERIFY, { p: admin.phone, c: code === '000000' ? '000001' : '000000' });
      };
      expect((await wrong()).errors![0].extensions).toEqual({ code: 'INVALID_RECOVERY_CODE', attemptsLeft: 4 });
      expect((await wrong()).errors![0].extensions?.attemptsLeft).toBe(3);
      await allowResend(admin.phone);
      await t.request(START, { p: admin.phone });
      expect((await wrong()).errors![0].extensions?.attemptsLeft).toBe(2);
      expect((await wrong()).errors![0].extensions?.attemptsLeft).toBe(1);
      expect((await wrong()).errors![0].extensions?.attemptsLeft).toBe(0);
      const right = await t.request(VERIFY, { p: admin.phone, c: await lastCode(admin.phone) });
      expect(right.errors![0].extensions?.code).toBe('INVALID_RECOVERY_CODE');
    });

    it('refuses a code older than 10 minutes', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      await t.request(START, { p: admin.phone });
      await t.db.dataSource.query(
        `UPDATE cabinet.recoveries SET code_expires_at = now() - interval '1 second' WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1)`,
        [admin.phone],
      );
      expect((await t.request(VERIFY, { p: admin.phone, c: await lastCode(admin.phone) })).errors![0].extensions?.code).toBe('INVALID_RECOVERY_CODE');
    });

    it('caps the codes sent to one phone per hour', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      for (let i = 0; i < 5; i++) {
        expect((await t.request(START, { p: admin.phone })).errors).toBeUndefined();
        await allowResend(admin.phone);
      }
      expect((await t.request(START, { p: admin.phone })).errors![0].extensions?.code).toBe('RATE_LIMITED');
      expect(await smsCount(admin.phone)).toBe(5);
    });

    it('answers an unknown phone like a known one and sends nothing', async () => {
      const res = await t.request(START, { p: '77990000001' });
      expect(Object.keys(res.data!.startPasswordRecovery)).toEqual(['resendAvailableAt', 'codeExpiresAt']);
      expect(await smsCount('77990000001')).toBe(0);
    });
    it('answers wrong codes for a known and an unknown phone alike, through resends, voiding and expiry', async () => {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const unknown = '77990000002';
      const answersFor = async (phone: string) => {
        const wrongCode = async () => {
          const sent = phone === admin.phone ? await lastCode(phone) : '000000';
          return t.request(VERIFY, { p: phone, c: sent === '000000' ? '000001' : '000000' });
        };
        const answers: unknown[] = [];
        const note = (res: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }) =>
          answers.push(res.errors?.map(({ message, extensions }) => ({ message, extensions: { ...extensions, retryAfterSeconds: undefined } })) ?? 'OK');
        note(await t.request(START, { p: phone }));
        for (let i = 0; i < 2; i++) note(await wrongCode());
        note(await t.request(START, { p: phone }));
        await allowResend(phone);
        note(await t.request(START, { p: phone }));
        for (let i = 0; i < 4; i++) note(await wrongCode());
        return answers;
      };
      const known = await answersFor(admin.phone);
      expect(await answersFor(unknown)).toEqual(known);
      expect(known.slice(1, 3)).toEqual([4, 3].map((attemptsLeft) => [expect.objectContaining({ extensions: expect.objectContaining({ attemptsLeft }) })]));
      expect(await smsCount(unknown)).toBe(0);

      // A new recovery an hour later starts with fresh attempts for both, and an expired code is refused alike.
      const later = async (phone: string) => {
        await t.db.dataSource.query(
          `UPDATE cabinet.recoveries SET created_at = created_at - interval '2 hours' WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1) OR phone = $1`,
          [phone],
        );
        await t.db.dataSource.query(`DELETE FROM cabinet.rate_limits WHERE key LIKE $1`, [`recovery:%${phone}`]);
        await t.request(START, { p: phone });
        const first = (await t.request(VERIFY, { p: phone, c: '999999' === (await lastCode(admin.phone)) ? '999998' : '999999' })).errors;
        await t.db.dataSource.query(
          `UPDATE cabinet.recoveries SET code_expires_at = now() - interval '1 second' WHERE (administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1) OR phone = $1) AND finished_at IS NULL`,
          [phone],
        );
        return [first, (await t.request(VERIFY, { p: phone, c: '999997' })).errors];
      };
      expect(await later(unknown)).toEqual(await later(admin.phone));
    });
  });

  it('takes registration requests for the operator, validating every field', async () => {
    const register = 'mutation($i: RegistrationInput!) { requestRegistration(input: $i) { id status } }';
    const good = { bin: '750750750759', name: 'Сейтқали Ерлан', phone: '77051234567', email: 'erlan@example.kz' };
    const res = await t.request(register, { i: good });
    expect(res.data!.requestRegistration.status).toBe('PENDING');
    const again = await t.request(register, { i: { ...good, email: 'ERLAN@example.kz' } });
    expect(again.errors![0].extensions).toEqual({ code: 'REGISTRATION_PENDING' });
    const cases = [
      ['bin', '12345'],
      ['bin', '750750750750'],
      ['phone', '123'],
      ['email', 'not-mail'],
      ['email', 'a@[127.0.0.1]'],
      ['email', 'иван@почта.kz'],
      ['name', ' '],
    ] as const;
    for (const [field, value] of cases) {
      const bad = await t.request(register, { i: { ...good, [field]: value } });
      expect(bad.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    await t.db.dataSource.query(`UPDATE cabinet.registration_requests SET status = 'REJECTED' WHERE bin = $1`, [good.bin]);
    expect((await t.request(register, { i: good })).data!.requestRegistration.status).toBe('PENDING');
  });

  it('keeps short names per administrator', async () => {
    const company = toGlobalId('Company', companyId);
    const set = 'mutation($c: ID!, $s: String) { setCompanyShortName(companyId: $c, shortName: $s) { shortName } }';
    expect((await t.gql(set, { c: company, s: '  Head   office ' })).data!.setCompanyShortName.shortName).toBe('Head office');
    const names = (await t.gql('{ me { companies { id shortName } } }')).data!.me.companies;
    expect(names.find((c: { id: string }) => c.id === company).shortName).toBe('Head office');
    const other = await createAdministrator(t.db, { companyIds: [companyId] });
    const cookie = sessionCookie((await t.request(LOGIN, { p: other.phone, w: TEST_PASSWORD })).headers);
    expect((await t.request('query($c: ID!) { company(id: $c) { shortName } }', { c: company }, { cookie })).data!.company.shortName).toBeNull();
  });
});
