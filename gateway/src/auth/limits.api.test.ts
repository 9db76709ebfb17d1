import pino from 'pino';
import { buildApp } from '../app';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, testConfig, type TestApp } from '../test/app';
import { CURRENT_PASSWORD_LIMIT, DEVICE_COOKIE, LOGIN_LIMITS, RECOVERY, REGISTRATION_LIMIT } from './auth.service';

const LOGIN = 'mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { phone } }';
const START = 'mutation($p: String!) { startPasswordRecovery(phone: $p) { resendAvailableAt } }';
const VERIFY = 'mutation($p: String!, $c: String!) { verifyRecoveryCode(phone: $p, code: $c) { recoveryToken } }';
const COMPLETE = 'mutation($t: String!, $w: String!) { completePasswordRecovery(recoveryToken: $t, password: $w, passwordRepeat: $w) { phone } }';
const REGISTER = 'mutation($i: RegistrationInput!) { requestRegistration(input: $i) { id } }';
const CHANGE_PASSWORD = 'mutation($c: String!, $p: String!) { changePassword(currentPassword: $c, password: $p, passwordRepeat: $p) { id } }';
const CHANGE_EMAIL = 'mutation($c: String!, $e: String!) { changeEmail(currentPassword: $c, email: $e) { email } }';

type Answer = { data?: Record<string, any> | null; errors?: { extensions?: Record<string, any> }[] };
const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code ?? 'OK';
const tally = (answers: Answer[]) => answers.map(codeOf).reduce<Record<string, number>>((all, c) => ({ ...all, [c]: (all[c] ?? 0) + 1 }), {});

let nextAddress = 1;
const freshAddress = () => `10.20.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

describe.each(ENGINES)('limits under concurrency on %s', (engine) => {
  let t: TestApp;
  let companyId: number;

  beforeAll(async () => {
    t = await startTestApp(engine);
    [{ id: companyId }] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
  });
  afterAll(() => t.close());

  /** A request from the given client address (the socket's peer, as without a proxy). */
  const from = async (
    address: string,
    query: string,
    variables: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Answer & { headers: Record<string, any> }> => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: address,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ query, variables }),
    });
    return { headers: response.headers, ...(response.json() as Record<string, unknown>) };
  };
  const parallel = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));
  const smsCount = async (phone: string) => Number((await t.db.dataSource.query(`SELECT count(*) FROM cabinet.sms_outbox WHERE phone = $1`, [phone]))[0].count);

  it('checks exactly the free sign-in attempts of a phone among 60 parallel wrong passwords', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const address = freshAddress();
    const answers = await parallel(60, (i) => from(address, LOGIN, { p: admin.phone, w: `wrong guess ${i}` }));
    expect(tally(answers)).toEqual({
      INVALID_CREDENTIALS: LOGIN_LIMITS.perPhoneAndAddress.freeAttempts,
      RATE_LIMITED: 60 - LOGIN_LIMITS.perPhoneAndAddress.freeAttempts,
    });
  });

  it('does not accept the right password hidden in a burst of wrong ones beyond the free attempts', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const address = freshAddress();
    const answers = await parallel(20, (i) => from(address, LOGIN, { p: admin.phone, w: i === 19 ? TEST_PASSWORD : `wrong guess ${i}` }));
    const checked = answers.filter((a) => codeOf(a) !== 'RATE_LIMITED');
    expect(checked).toHaveLength(LOGIN_LIMITS.perPhoneAndAddress.freeAttempts);
  });

  it('slows the guesser with a doubling delay, and the owner signs in once it has passed — no fixed lockout', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const attacker = freshAddress();
    for (let i = 0; i < LOGIN_LIMITS.perPhoneAndAddress.freeAttempts; i++) await from(attacker, LOGIN, { p: admin.phone, w: `wrong ${i}` });
    const held = await from(attacker, LOGIN, { p: admin.phone, w: TEST_PASSWORD });
    expect(codeOf(held)).toBe('RATE_LIMITED');
    expect(held.errors![0].extensions!.retryAfterSeconds).toBe(1);
    // The owner at another address is not held back by the guesser's failures.
    expect((await from(freshAddress(), LOGIN, { p: admin.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(admin.phone);

    const key = `login:phone-address:${admin.phone}:${attacker}`;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await t.db.dataSource.query(`UPDATE cabinet.throttles SET next_attempt_at = now() - interval '1 second' WHERE key = $1`, [key]);
      expect(codeOf(await from(attacker, LOGIN, { p: admin.phone, w: `again ${i}` }))).toBe('INVALID_CREDENTIALS');
      waits.push((await from(attacker, LOGIN, { p: admin.phone, w: TEST_PASSWORD })).errors![0].extensions!.retryAfterSeconds);
    }
    expect(waits).toEqual([2, 4, 8, 16]);
    await t.db.dataSource.query(`UPDATE cabinet.throttles SET next_attempt_at = now() - interval '1 second' WHERE key = $1`, [key]);
    expect((await from(attacker, LOGIN, { p: admin.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(admin.phone);
    expect(await t.db.dataSource.query(`SELECT key FROM cabinet.throttles WHERE key LIKE $1`, [`%${admin.phone}%`])).toEqual([]);
  });

  it('slows guesses at one phone from many addresses, within a few minutes at most', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const answers = await parallel(30, (i) => from(freshAddress(), LOGIN, { p: admin.phone, w: `spread guess ${i}` }));
    expect(tally(answers)).toEqual({ INVALID_CREDENTIALS: LOGIN_LIMITS.perPhone.freeAttempts, RATE_LIMITED: 30 - LOGIN_LIMITS.perPhone.freeAttempts });
    for (const answer of answers.filter((a) => codeOf(a) === 'RATE_LIMITED')) {
      expect(answer.errors![0].extensions!.retryAfterSeconds).toBeLessThanOrEqual(LOGIN_LIMITS.perPhone.maxDelaySeconds);
    }
  });

  it('caps failures per address without blocking phones that signed in from it before', async () => {
    const address = freshAddress();
    const regular = await createAdministrator(t.db, { companyIds: [companyId] });
    expect((await from(address, LOGIN, { p: regular.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(regular.phone);
    const max = LOGIN_LIMITS.perAddress.max;
    const answers = await parallel(max + 20, (i) => from(address, LOGIN, { p: `7781${String(i).padStart(7, '0')}`, w: 'spray guess' }));
    expect(tally(answers)).toEqual({ INVALID_CREDENTIALS: max, RATE_LIMITED: 20 });
    const newcomer = await createAdministrator(t.db, { companyIds: [companyId] });
    expect(codeOf(await from(address, LOGIN, { p: newcomer.phone, w: TEST_PASSWORD }))).toBe('RATE_LIMITED');
    expect((await from(address, LOGIN, { p: regular.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(regular.phone);
  });

  it('lets a browser the phone signed in with pass the address cap and the phone-wide delay anywhere, until the password changes', async () => {
    const cookieOf = (answer: { headers: Record<string, any> }, name: string) =>
      ([answer.headers['set-cookie'] ?? []].flat() as string[]).find((c) => c.startsWith(`${name}=`))!.split(';')[0];
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const laptop = cookieOf(await from(freshAddress(), LOGIN, { p: admin.phone, w: TEST_PASSWORD }), DEVICE_COOKIE);
    const deskAddress = freshAddress();
    const deskLogin = await from(deskAddress, LOGIN, { p: admin.phone, w: TEST_PASSWORD });
    const [desk, deskSession] = [cookieOf(deskLogin, DEVICE_COOKIE), cookieOf(deskLogin, 'cabinet_session')];
    const password = `${TEST_PASSWORD} новый`;
    const colleague = await createAdministrator(t.db, { companyIds: [companyId] });
    const theirs = cookieOf(await from(freshAddress(), LOGIN, { p: colleague.phone, w: TEST_PASSWORD }), DEVICE_COOKIE);
    // An office address behind one NAT over its cap, and the phone slowed by guesses from everywhere.
    const office = freshAddress();
    const max = LOGIN_LIMITS.perAddress.max;
    await parallel(max, (i) => from(office, LOGIN, { p: `7783${String(i).padStart(7, '0')}`, w: 'spray guess' }));
    const spread = await parallel(LOGIN_LIMITS.perPhone.freeAttempts + 5, (i) => from(freshAddress(), LOGIN, { p: admin.phone, w: `spread ${i}` }));
    expect(tally(spread).RATE_LIMITED).toBe(5);

    expect(codeOf(await from(office, LOGIN, { p: admin.phone, w: TEST_PASSWORD }))).toBe('RATE_LIMITED');
    expect(codeOf(await from(office, LOGIN, { p: admin.phone, w: TEST_PASSWORD }, { cookie: theirs }))).toBe('RATE_LIMITED');
    const signedIn = await from(office, LOGIN, { p: admin.phone, w: TEST_PASSWORD }, { cookie: laptop });
    expect(signedIn.data!.login.phone).toBe(admin.phone);
    expect(cookieOf(signedIn, DEVICE_COOKIE)).toBe(laptop);
    // Guesses from that browser are still held by the phone and address throttle.
    const guesses = await parallel(20, (i) => from(office, LOGIN, { p: admin.phone, w: `cookie guess ${i}` }, { cookie: laptop }));
    expect(tally(guesses)).toEqual({
      INVALID_CREDENTIALS: LOGIN_LIMITS.perPhoneAndAddress.freeAttempts,
      RATE_LIMITED: 20 - LOGIN_LIMITS.perPhoneAndAddress.freeAttempts,
    });

    // A new password set from the desk's browser: the laptop is trusted no more, the desk still is. Both try from an
    // address new to the phone while guesses from everywhere slow it.
    const again = await parallel(LOGIN_LIMITS.perPhone.freeAttempts, (i) => from(freshAddress(), LOGIN, { p: admin.phone, w: `again ${i}` }));
    expect(tally(again).RATE_LIMITED).toBeGreaterThan(0);
    const changed = await from(deskAddress, CHANGE_PASSWORD, { c: TEST_PASSWORD, p: password }, { cookie: `${deskSession}; ${desk}` });
    expect(changed.errors).toBeUndefined();
    expect(codeOf(await from(freshAddress(), LOGIN, { p: admin.phone, w: password }, { cookie: laptop }))).toBe('RATE_LIMITED');
    expect(codeOf(await from(freshAddress(), LOGIN, { p: admin.phone, w: password }, { cookie: desk }))).toBe('OK');
  });

  it('holds the addresses of one IPv6 /64 network to one cap, and another network to its own', async () => {
    const network = `2001:db8:${(nextAddress++).toString(16)}:1`;
    const max = LOGIN_LIMITS.perAddress.max;
    // Each guess from another address of the same /64, as a guesser walking through their line's addresses would.
    const answers = await parallel(max + 10, (i) => from(`${network}::${(i + 1).toString(16)}`, LOGIN, { p: `7782${String(i).padStart(7, '0')}`, w: 'walk' }));
    expect(tally(answers)).toEqual({ INVALID_CREDENTIALS: max, RATE_LIMITED: 10 });
    const elsewhere = await from(`2001:db8:${(nextAddress++).toString(16)}:2::1`, LOGIN, { p: '77829999999', w: 'walk' });
    expect(codeOf(elsewhere)).toBe('INVALID_CREDENTIALS');
  });

  it('lets the owner sign in with the right password from an address they signed in from before while guesses from everywhere slow the phone', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const home = freshAddress();
    expect((await from(home, LOGIN, { p: admin.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(admin.phone);
    const answers = await parallel(30, (i) => from(freshAddress(), LOGIN, { p: admin.phone, w: `spread guess ${i}` }));
    expect(tally(answers).RATE_LIMITED).toBe(30 - LOGIN_LIMITS.perPhone.freeAttempts);
    // A new address is still slowed by the phone-wide delay; the owner's own is not.
    expect(codeOf(await from(freshAddress(), LOGIN, { p: admin.phone, w: TEST_PASSWORD }))).toBe('RATE_LIMITED');
    expect((await from(home, LOGIN, { p: admin.phone, w: TEST_PASSWORD })).data!.login.phone).toBe(admin.phone);
    // A guesser there is held by the phone and address throttle.
    const there = await parallel(20, (i) => from(home, LOGIN, { p: admin.phone, w: `home guess ${i}` }));
    expect(tally(there)).toEqual({
      INVALID_CREDENTIALS: LOGIN_LIMITS.perPhoneAndAddress.freeAttempts,
      RATE_LIMITED: 20 - LOGIN_LIMITS.perPhoneAndAddress.freeAttempts,
    });
  });

  it('counts a completed password recovery as a sign-in from its address for the cap per address', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const address = freshAddress();
    await from(address, START, { p: admin.phone });
    const [sms] = await t.db.dataSource.query(`SELECT text FROM cabinet.sms_outbox WHERE phone = $1 ORDER BY id DESC LIMIT 1`, [admin.phone]);
    const verified = await from(address, VERIFY, { p: admin.phone, c: /\b(\d{6})\b/.exec(sms.text)![1] });
    const password = 'жаңа құпия сөз көктемде келді';
    const completed = await from(address, COMPLETE, { t: verified.data!.verifyRecoveryCode.recoveryToken, w: password });
    expect(completed.errors).toBeUndefined();
    const max = LOGIN_LIMITS.perAddress.max;
    const spray = await parallel(max + 5, (i) => from(address, LOGIN, { p: `7782${String(i).padStart(7, '0')}`, w: 'spray guess' }));
    expect(tally(spray)).toEqual({ INVALID_CREDENTIALS: max, RATE_LIMITED: 5 });
    const newcomer = await createAdministrator(t.db, { companyIds: [companyId] });
    expect(codeOf(await from(address, LOGIN, { p: newcomer.phone, w: TEST_PASSWORD }))).toBe('RATE_LIMITED');
    expect((await from(address, LOGIN, { p: admin.phone, w: password })).data!.login.phone).toBe(admin.phone);
  });

  it('sends one recovery SMS for 200 parallel requests for one phone, and answers an unknown phone the same', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const known = await parallel(200, () => from(freshAddress(), START, { p: admin.phone }));
    expect(tally(known)).toEqual({ OK: 1, RATE_LIMITED: 199 });
    expect(await smsCount(admin.phone)).toBe(1);
    const unknown = await parallel(200, () => from(freshAddress(), START, { p: '77990000123' }));
    expect(tally(unknown)).toEqual({ OK: 1, RATE_LIMITED: 199 });
    // The seconds left differ with the moment of asking; everything else must be the same.
    const again = (phone: string) =>
      from(freshAddress(), START, { p: phone }).then((a) => JSON.stringify(a.errors![0]).replace(/\d+ s\.|"retryAfterSeconds":\d+/g, ''));
    expect(await again(admin.phone)).toBe(await again('77990000123'));
  });

  it('sends at most five recovery SMS an hour to one phone however the requests are timed', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    for (let round = 0; round < 3; round++) {
      await t.db.dataSource.query(`DELETE FROM cabinet.rate_limits WHERE key = $1`, [`recovery:resend:${admin.phone}`]);
      await parallel(50, () => from(freshAddress(), START, { p: admin.phone }));
      await t.db.dataSource.query(`DELETE FROM cabinet.rate_limits WHERE key = $1`, [`recovery:resend:${admin.phone}`]);
      await parallel(50, () => from(freshAddress(), START, { p: admin.phone }));
    }
    expect(await smsCount(admin.phone)).toBe(RECOVERY.sendsPerPhonePerHour);
  });

  it('compares at most five recovery codes, whatever arrives in parallel', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    await from(freshAddress(), START, { p: admin.phone });
    const [{ text }] = await t.db.dataSource.query(`SELECT text FROM cabinet.sms_outbox WHERE phone = $1`, [admin.phone]);
    const code = /\b(\d{6})\b/.exec(text)![1];
    const wrong = code === '000000' ? '000001' : '000000';
    const answers = await parallel(50, (i) => from(freshAddress(), VERIFY, { p: admin.phone, c: i === 49 ? code : wrong }));
    const evaluated = answers.filter((a) => codeOf(a) === 'OK' || (a.errors![0].extensions!.attemptsLeft ?? 0) > 0 || a === answers[49]);
    const [{ failed_attempts: attempts }] = await t.db.dataSource.query(
      `SELECT failed_attempts FROM cabinet.recoveries WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1)`,
      [admin.phone],
    );
    expect(attempts).toBe(RECOVERY.maxFailedAttempts);
    expect(evaluated.length).toBeLessThanOrEqual(RECOVERY.maxFailedAttempts + 1);
    expect(answers.filter((a) => codeOf(a) === 'INVALID_RECOVERY_CODE' && a.errors![0].extensions!.attemptsLeft === 0).length).toBeGreaterThanOrEqual(
      50 - RECOVERY.maxFailedAttempts,
    );
  });

  it('takes exactly ten registration requests an hour from one address among 40 parallel ones', async () => {
    const address = freshAddress();
    const answers = await parallel(40, (i) =>
      from(address, REGISTER, { i: { bin: '750750750759', name: `Заявка ${i}`, phone: `7705${String(i).padStart(7, '0')}`, email: `r${i}@example.kz` } }),
    );
    expect(tally(answers)).toEqual({ OK: REGISTRATION_LIMIT.max, RATE_LIMITED: 40 - REGISTRATION_LIMIT.max });
  });

  it('takes one of 50 identical registration requests sent at once', async () => {
    const request = { bin: '990140000126', name: 'Одна Заявка', phone: '77057654321', email: 'one@example.kz' };
    const answers = await parallel(50, () => from(freshAddress(), REGISTER, { i: request }));
    expect(tally(answers)).toEqual({ OK: 1, REGISTRATION_PENDING: 49 });
  });

  it('checks only five wrong current passwords from a signed-in session among 50 parallel ones', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const cookie = sessionCookie((await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD })).headers);
    const answers = await parallel(50, (i) => t.request(CHANGE_EMAIL, { c: `guess ${i}`, e: 'new@example.kz' }, { cookie }));
    expect(tally(answers)).toEqual({ BAD_USER_INPUT: CURRENT_PASSWORD_LIMIT.max, RATE_LIMITED: 50 - CURRENT_PASSWORD_LIMIT.max });
    expect(codeOf(await t.request(CHANGE_EMAIL, { c: TEST_PASSWORD, e: 'new@example.kz' }, { cookie }))).toBe('RATE_LIMITED');
  });

  it('checks only five wrong current passwords of a password change among 50 parallel ones, and the right one then waits too', async () => {
    const admin = await createAdministrator(t.db, { companyIds: [companyId] });
    const cookie = sessionCookie((await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD })).headers);
    const password = 'a fresh passphrase nobody guesses';
    const answers = await parallel(50, (i) => t.request(CHANGE_PASSWORD, { c: `guess ${i}`, p: password }, { cookie }));
    expect(tally(answers)).toEqual({ BAD_USER_INPUT: CURRENT_PASSWORD_LIMIT.max, RATE_LIMITED: 50 - CURRENT_PASSWORD_LIMIT.max });
    expect(answers.filter((a) => codeOf(a) === 'BAD_USER_INPUT').map((a) => a.errors![0].extensions!.field)).toEqual(
      Array(CURRENT_PASSWORD_LIMIT.max).fill('currentPassword'),
    );
    expect(codeOf(await t.request(CHANGE_PASSWORD, { c: TEST_PASSWORD, p: password }, { cookie }))).toBe('RATE_LIMITED');
    // Nothing changed: the old password still signs in.
    expect(codeOf(await t.request(LOGIN, { p: admin.phone, w: TEST_PASSWORD }))).toBe('OK');
  });

  it('takes the client address from X-Forwarded-For only through a trusted proxy', async () => {
    const proxied = await buildApp({
      config: testConfig({ engine, trustedProxies: ['10.99.0.0/16'] }),
      dataSource: t.db.dataSource,
      log: pino({ level: 'silent' }),
    });
    try {
      const admin = await createAdministrator(t.db, { companyIds: [companyId] });
      const send = (remoteAddress: string, forwarded: string) =>
        proxied.inject({
          method: 'POST',
          url: '/graphql',
          remoteAddress,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
          payload: JSON.stringify({ query: LOGIN, variables: { p: admin.phone, w: TEST_PASSWORD } }),
        });
      await send('10.99.1.1', '203.0.113.7');
      await send('198.51.100.9', '203.0.113.8');
      const rows = await t.db.dataSource.query(
        `SELECT host(client_address) AS address FROM cabinet.action_log WHERE actor_phone = $1 AND action = 'LOGIN' ORDER BY id`,
        [admin.phone],
      );
      expect(rows.map((r: { address: string }) => r.address)).toEqual(['203.0.113.7', '198.51.100.9']);
      const sessions = await t.db.dataSource.query(
        `SELECT host(client_address) AS address FROM cabinet.sessions WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1) ORDER BY id`,
        [admin.phone],
      );
      expect(sessions.map((r: { address: string }) => r.address)).toEqual(['203.0.113.7', '198.51.100.9']);
    } finally {
      await proxied.close();
    }
  });
});
