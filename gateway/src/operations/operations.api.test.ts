import { DEMO_FREE_ICCIDS } from '../db/seed/seed';
import { fromGlobalId, toGlobalId } from '../core/ids';
import { createAdministrator, ENGINES, sessionCookie, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../test/app';
import { until } from '../test/until';

const OP = 'id kind status failureCode failureReason parameters { name value } actor { name phone }';
const NUMBER = `query($id: ID!) { number(id: $id) { state stateChangedAt smsUssdBan allowedOperations simCard { iccid replacedAt }
  device { lastImei lastImeiRegistered registered { imei } } connectedServices { service { id code } }
  availableServices { services { id code } } callForwardings { condition target } } }`;

describe.each(ENGINES)('operations on numbers on %s', (engine) => {
  let t: TestApp;
  let queued: TestApp;
  let company: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(engine, { jobs: { billingDelayMs: 0 } });
    queued = await startTestApp(engine, { jobs: { runWorker: false } });
    const [row] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    company = toGlobalId('Company', row.id);
    for (const n of await t.db.dataSource.query(`SELECT id, msisdn FROM billing.numbers`)) ids[n.msisdn] = toGlobalId('Number', n.id);
  });
  afterAll(async () => {
    await t.close();
    await queued.close();
  });

  const mutate = (app: TestApp, field: string, args: string, variables: Record<string, unknown>) =>
    app.gql(
      `mutation(${Object.keys(variables)
        .map(
          (k) =>
            `$${k}: ${k === 'enabled' ? 'Boolean!' : k === 'condition' ? 'ForwardingCondition!' : k.endsWith('Id') || k === 'numberId' ? 'ID!' : k === 'imei' ? 'String' : 'String!'}`,
        )
        .join(', ')}) { ${field}(${args}) { ${OP} } }`,
      variables,
    );
  const finished = async (app: TestApp, operationId: string) => {
    const query = `query($c: ID!) { operations(companyId: $c, first: 100) { edges { cursor node { ${OP} finishedAt number { msisdn } } } } }`;
    for (let i = 0; i < 200; i++) {
      const res = await app.gql(query, { c: company });
      expect(res.data!.operations.edges.every((e: any) => typeof e.cursor === 'string' && e.cursor.length > 0)).toBe(true);
      const op = res.data!.operations.edges.map((e: any) => e.node).find((o: any) => o.id === operationId);
      if (op && op.status !== 'IN_PROCESS') return op;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('operation did not finish');
  };
  const profile = async (msisdn: string) => (await t.gql(NUMBER, { id: ids[msisdn] })).data!.number;
  const code = (res: GraphQLResponse) => res.errors?.[0]?.extensions;

  it('blocks a number: In process at once, then Blocked, with the actions log updated', async () => {
    const res = await mutate(t, 'blockNumber', 'numberId: $numberId', { numberId: ids['77010542003'] });
    expect(res.data!.blockNumber).toMatchObject({ kind: 'BLOCK_NUMBER', status: 'IN_PROCESS' });
    const done = await finished(t, res.data!.blockNumber.id);
    expect(done).toMatchObject({ status: 'SUCCESS', number: { msisdn: '77010542003' } });
    const number = await profile('77010542003');
    expect(number.state).toBe('BLOCKED');
    expect(Date.now() - Date.parse(number.stateChangedAt)).toBeLessThan(60_000);
    expect(number.allowedOperations).toContain('UNBLOCK_NUMBER');
    const log = await t.gql(`query($n: ID!) { number(id: $n) { actions(first: 1) { edges { node { action status description actor { name } } } } } }`, {
      n: ids['77010542003'],
    });
    expect(log.data!.number.actions.edges[0].node).toMatchObject({ action: 'BLOCK_NUMBER', status: 'SUCCESS', description: 'Block number 77010542003' });
  });

  it('unblocks a blocked number', async () => {
    const res = await mutate(t, 'unblockNumber', 'numberId: $numberId', { numberId: ids['77010542003'] });
    expect((await finished(t, res.data!.unblockNumber.id)).status).toBe('SUCCESS');
    expect((await profile('77010542003')).state).toBe('ACTIVE');
  });

  it('refuses to unblock a number blocked for debt, and to block a blocked one', async () => {
    expect(code(await mutate(t, 'unblockNumber', 'numberId: $numberId', { numberId: ids['77010542007'] }))).toEqual({ code: 'NUMBER_BLOCKED_FOR_DEBT' });
    expect(code(await mutate(t, 'blockNumber', 'numberId: $numberId', { numberId: ids['77010542007'] }))).toEqual({ code: 'CONFLICT' });
    expect(code(await mutate(t, 'unblockNumber', 'numberId: $numberId', { numberId: ids['77010542006'] }))).toEqual({ code: 'CONFLICT' });
  });

  it('runs a repeated submission with the same idempotency key once', async () => {
    const args = 'numberId: $numberId, idempotencyKey: $key';
    const first = await mutate(queued, 'setSmsUssdBan', `${args}, enabled: $enabled`, { numberId: ids['77010542006'], key: 'dialog-1', enabled: true });
    const again = await mutate(queued, 'setSmsUssdBan', `${args}, enabled: $enabled`, { numberId: ids['77010542006'], key: 'dialog-1', enabled: true });
    expect(again.data!.setSmsUssdBan.id).toBe(first.data!.setSmsUssdBan.id);
    const [{ count }] = await queued.db.dataSource.query(`SELECT count(*)::int FROM cabinet.operations WHERE idempotency_key = 'dialog-1'`);
    expect(count).toBe(1);
    const misuse = await mutate(queued, 'sendSecretCode', args, { numberId: ids['77010542006'], key: 'dialog-1' });
    expect(code(misuse)).toEqual({ code: 'CONFLICT' });
  });

  it('allows one operation of a kind in process per number', async () => {
    const first = await mutate(queued, 'blockNumber', 'numberId: $numberId', { numberId: ids['77010542001'] });
    expect(first.data!.blockNumber.status).toBe('IN_PROCESS');
    expect((await queued.gql(NUMBER, { id: ids['77010542001'] })).data!.number.state).toBe('IN_PROCESS');
    expect(code(await mutate(queued, 'blockNumber', 'numberId: $numberId', { numberId: ids['77010542001'] }))).toEqual({ code: 'OPERATION_IN_PROGRESS' });
    await mutate(queued, 'sendSecretCode', 'numberId: $numberId', { numberId: ids['77010542001'] });
    expect(code(await mutate(queued, 'sendSecretCode', 'numberId: $numberId', { numberId: ids['77010542001'] }))).toEqual({ code: 'OPERATION_IN_PROGRESS' });
  });

  describe('SIM replacement', () => {
    it('validates the ICCID: length, digits, check digit, stock', async () => {
      const replace = (iccid: string) => mutate(t, 'replaceSim', 'numberId: $numberId, iccid: $iccid', { numberId: ids['77010542006'], iccid });
      expect(code(await replace('8999702123456789945'))).toEqual({ code: 'BAD_USER_INPUT', field: 'iccid' });
      expect(code(await replace('8999702123456789945X'))).toEqual({ code: 'BAD_USER_INPUT', field: 'iccid' });
      expect(code(await replace('89997021234567899457'))).toEqual({ code: 'BAD_USER_INPUT', field: 'iccid' });
      expect(code(await replace('89997020056483061023'))).toEqual({ code: 'SIM_NOT_IN_STOCK', field: 'iccid' });
    });

    it('replaces the SIM with a free card, tells the number and the administrators, and refuses a second within 24 h', async () => {
      const res = await mutate(t, 'replaceSim', 'numberId: $numberId, iccid: $iccid', {
        numberId: ids['77010542006'],
        iccid: DEMO_FREE_ICCIDS[1].replace(/(\d{4})/g, '$1 ').trim(),
      });
      expect((await finished(t, res.data!.replaceSim.id)).status).toBe('SUCCESS');
      const number = await profile('77010542006');
      expect(number.simCard.iccid).toBe(DEMO_FREE_ICCIDS[1]);
      expect(Date.now() - Date.parse(number.simCard.replacedAt)).toBeLessThan(60_000);
      const notices = await t.db.dataSource.query(`SELECT phone FROM cabinet.sms_outbox WHERE purpose = 'SIM_REPLACEMENT_NOTICE'`);
      expect(notices.map((n: { phone: string }) => n.phone)).toEqual(expect.arrayContaining(['77010542006', '77012112170']));
      // One language rule for every SMS: an administrator reads their profile's language, the number's user Kazakh and Russian.
      const texts = new Map<string, string>(
        (await t.db.dataSource.query(`SELECT phone, text FROM cabinet.sms_outbox WHERE purpose = 'SIM_REPLACEMENT_NOTICE'`)).map((n: any) => [n.phone, n.text]),
      );
      expect(texts.get('77010542006')).toBe(
        'Кабинет: 77010542006 нөміріне SIM-картаны ауыстыру тапсырылды. Бұл сіз болмасаңыз, 8 800 080 0400 нөміріне қоңырау шалыңыз. / ' +
          'Кабинет: на номер 77010542006 заказана замена SIM-карты. Если это не вы, позвоните 8 800 080 0400.',
      );
      expect(texts.get('77012112170')).toBe('Кабинет: на номер 77010542006 заказана замена SIM-карты. Если это не вы, позвоните 8 800 080 0400.');
      const again = await mutate(t, 'replaceSim', 'numberId: $numberId, iccid: $iccid', { numberId: ids['77010542006'], iccid: DEMO_FREE_ICCIDS[2] });
      expect(code(again)).toEqual({ code: 'SIM_REPLACEMENT_COOLDOWN' });
    });

    it('refuses a replacement within 24 h of one the billing system made outside the cabinet', async () => {
      const [card] = await t.db.dataSource.query(
        `SELECT s.id, s.replaced_at AS before FROM billing.sim_cards s JOIN billing.numbers n ON n.id = s.number_id
         WHERE n.msisdn = '77010542003' AND s.retired_at IS NULL`,
      );
      await t.db.dataSource.query(`UPDATE billing.sim_cards SET replaced_at = now() - interval '23 hours' WHERE id = $1`, [card.id]);
      try {
        const res = await mutate(t, 'replaceSim', 'numberId: $numberId, iccid: $iccid', { numberId: ids['77010542003'], iccid: DEMO_FREE_ICCIDS[3] });
        expect(code(res)).toEqual({ code: 'SIM_REPLACEMENT_COOLDOWN' });
      } finally {
        await t.db.dataSource.query(`UPDATE billing.sim_cards SET replaced_at = $2 WHERE id = $1`, [card.id, card.before]);
      }
    });

    it('is refused on a number that is not Active', async () => {
      const res = await mutate(t, 'replaceSim', 'numberId: $numberId, iccid: $iccid', { numberId: ids['77010542007'], iccid: DEMO_FREE_ICCIDS[3] });
      expect(code(res)).toEqual({ code: 'NUMBER_NOT_ACTIVE' });
    });
  });

  describe('services', () => {
    it('connects an available service and disconnects it', async () => {
      const before = await profile('77010542006');
      const service = before.availableServices[0].services[0];
      const connect = await mutate(t, 'connectService', 'numberId: $numberId, serviceId: $serviceId', { numberId: ids['77010542006'], serviceId: service.id });
      expect((await finished(t, connect.data!.connectService.id)).status).toBe('SUCCESS');
      expect((await profile('77010542006')).connectedServices.map((c: any) => c.service.code)).toContain(service.code);
      expect(
        code(await mutate(t, 'connectService', 'numberId: $numberId, serviceId: $serviceId', { numberId: ids['77010542006'], serviceId: service.id })),
      ).toEqual({
        code: 'CONFLICT',
      });
      const disconnect = await mutate(t, 'disconnectService', 'numberId: $numberId, serviceId: $serviceId', {
        numberId: ids['77010542006'],
        serviceId: service.id,
      });
      expect((await finished(t, disconnect.data!.disconnectService.id)).status).toBe('SUCCESS');
      expect((await profile('77010542006')).connectedServices.map((c: any) => c.service.code)).not.toContain(service.code);
    });

    it('charges a paid service’s monthly fee for the current service month, on the account of a credit number', async () => {
      const numberId = fromGlobalId('Number', ids['77010542006'], 'id');
      const [service] = await t.db.dataSource.query(
        `SELECT s.id, s.code, s.monthly_fee::text AS fee FROM billing.numbers n JOIN billing.tariff_services ts ON ts.tariff_id = n.tariff_id
           JOIN billing.services s ON s.id = ts.service_id
         WHERE n.id = $1 AND s.monthly_fee > 0 AND NOT EXISTS (SELECT 1 FROM billing.connected_services c WHERE c.number_id = n.id AND c.service_id = s.id)
         ORDER BY s.id LIMIT 1`,
        [numberId],
      );
      const [last] = await t.db.dataSource.query(
        `SELECT p.balance_after::text AS balance FROM billing.payments p JOIN billing.numbers n ON n.account_id = p.account_id
         WHERE n.id = $1 ORDER BY p.paid_at DESC, p.id DESC LIMIT 1`,
        [numberId],
      );
      const connect = await mutate(t, 'connectService', 'numberId: $numberId, serviceId: $serviceId', {
        numberId: ids['77010542006'],
        serviceId: toGlobalId('Service', service.id),
      });
      expect((await finished(t, connect.data!.connectService.id)).status).toBe('SUCCESS');
      const charged = await t.db.dataSource.query(
        `SELECT to_char(service_month, 'YYYY-MM') AS month, charge_kind AS kind, (-amount)::text AS amount, balance_before::text AS before,
           to_char(now() AT TIME ZONE 'Asia/Almaty', 'YYYY-MM') AS "thisMonth"
         FROM billing.payments WHERE number_id = $1 AND service_id = $2 AND type = 'CHARGE' AND paid_at > now() - interval '1 minute'`,
        [numberId, service.id],
      );
      expect(charged).toHaveLength(1);
      expect(charged[0]).toMatchObject({ month: charged[0].thisMonth, kind: 'SERVICE_FEE', amount: service.fee, before: last.balance });
    });

    it('refuses a service the tariff does not offer', async () => {
      const [row] = await t.db.dataSource.query(`SELECT id FROM billing.services WHERE code = 'INTERNATIONAL_CALLS'`);
      const res = await mutate(t, 'connectService', 'numberId: $numberId, serviceId: $serviceId', {
        numberId: ids['77010542001'],
        serviceId: toGlobalId('Service', row.id),
      });
      expect(code(res)).toEqual({ code: 'SERVICE_NOT_AVAILABLE' });
    });

    it('records the billing system’s refusal as a failure with its reason', async () => {
      const [row] = await t.db.dataSource.query(`SELECT id FROM billing.services WHERE code = 'INTERNET_5'`);
      const res = await mutate(t, 'connectService', 'numberId: $numberId, serviceId: $serviceId', {
        numberId: ids['77010542001'],
        serviceId: toGlobalId('Service', row.id),
      });
      const done = await finished(t, res.data!.connectService.id);
      expect(done.status).toBe('FAILURE');
      expect(done.failureCode).toBe('INSUFFICIENT_FUNDS');
      expect(done.failureReason).toBe('Not enough money on the balance for the service’s monthly fee.');
      const [stored] = await t.db.dataSource.query(`SELECT failure_reason FROM cabinet.operations WHERE id = $1`, [fromGlobalId('Operation', done.id, 'id')]);
      expect(stored.failure_reason).toBe('INSUFFICIENT_FUNDS');
      const companies = await t.db.dataSource.query(`SELECT id FROM billing.companies`);
      const reader = await createAdministrator(t.db, { companyIds: companies.map((c: { id: number }) => c.id) });
      await t.db.dataSource.query(`UPDATE cabinet.administrators SET language = 'ru' WHERE id = $1`, [reader.id]);
      const login = await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: reader.phone, w: TEST_PASSWORD });
      const inRussian = await t.request(
        `query($c: ID!) { operations(companyId: $c, status: FAILURE, first: 100) { edges { node { id failureCode failureReason } } } }`,
        { c: company },
        { cookie: sessionCookie(login.headers) },
      );
      expect(inRussian.data!.operations.edges.map((e: any) => e.node).find((o: any) => o.id === done.id)).toEqual({
        id: done.id,
        failureCode: 'INSUFFICIENT_FUNDS',
        failureReason: 'На балансе недостаточно средств для абонентской платы за услугу.',
      });
      const [log] = await t.db.dataSource.query(
        `SELECT l.status FROM cabinet.action_log l JOIN cabinet.operations o ON o.action_log_id = l.id WHERE o.kind = 'CONNECT_SERVICE' AND o.status = 'FAILURE'`,
      );
      expect(log.status).toBe('FAILURE');
    });
  });

  it('registers the last recorded device and removes it; refuses a bad IMEI', async () => {
    expect(code(await mutate(t, 'registerDevice', 'numberId: $numberId, imei: $imei', { numberId: ids['77010542006'], imei: '353678076511556' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'imei',
    });
    const before = await profile('77010542006');
    const register = await mutate(t, 'registerDevice', 'numberId: $numberId', { numberId: ids['77010542006'] });
    if (before.device.lastImeiRegistered) {
      expect(code(register)).toEqual({ code: 'CONFLICT' });
    } else {
      expect((await finished(t, register.data!.registerDevice.id)).status).toBe('SUCCESS');
      expect((await profile('77010542006')).device.lastImeiRegistered).toBe(true);
    }
    const remove = await t.gql(`mutation($n: ID!, $i: String!) { unregisterDevice(numberId: $n, imei: $i) { id } }`, {
      n: ids['77010542006'],
      i: before.device.lastImei,
    });
    expect((await finished(t, remove.data!.unregisterDevice.id)).status).toBe('SUCCESS');
    expect((await profile('77010542006')).device.lastImeiRegistered).toBe(false);
  });

  it('switches the SMS/USSD ban, sets and cancels call forwarding', async () => {
    const ban = await mutate(t, 'setSmsUssdBan', 'numberId: $numberId, enabled: $enabled', { numberId: ids['77010542003'], enabled: true });
    await finished(t, ban.data!.setSmsUssdBan.id);
    expect((await profile('77010542003')).smsUssdBan).toBe(true);
    const forward = (target: string) =>
      mutate(t, 'setCallForwarding', 'numberId: $numberId, condition: $condition, target: $target', {
        numberId: ids['77010542003'],
        condition: 'BUSY',
        target,
      });
    expect(code(await forward('7701'))).toEqual({ code: 'BAD_USER_INPUT', field: 'target' });
    expect(code(await forward('77010542003'))).toEqual({ code: 'BAD_USER_INPUT', field: 'target' });
    await finished(t, (await forward('+7 701 999 88 77')).data!.setCallForwarding.id);
    expect((await profile('77010542003')).callForwardings).toContainEqual({ condition: 'BUSY', target: '77019998877' });
    const cancel = await mutate(t, 'cancelCallForwarding', 'numberId: $numberId, condition: $condition', { numberId: ids['77010542003'], condition: 'BUSY' });
    await finished(t, cancel.data!.cancelCallForwarding.id);
    expect((await profile('77010542003')).callForwardings).not.toContainEqual(expect.objectContaining({ condition: 'BUSY' }));
  });

  it('sends the secret code by SMS to the number itself, and deletes it', async () => {
    const send = await mutate(t, 'sendSecretCode', 'numberId: $numberId', { numberId: ids['77010542006'] });
    expect((await finished(t, send.data!.sendSecretCode.id)).status).toBe('SUCCESS');
    // The SMS goes out from its own job, written when the success was: just after the operation finished, not with it.
    const sms = await until('the secret code’s SMS', async () => {
      const rows: { text: string }[] = await t.db.dataSource.query(
        `SELECT text FROM cabinet.sms_outbox WHERE phone = '77010542006' AND purpose = 'SECRET_CODE'`,
      );
      return rows[0];
    });
    expect(sms.text).toMatch(/^Кабинет: \d{6} құпия коды .* \/ Кабинет: секретный код \d{6} открывает/);
    const del = await mutate(t, 'deleteSecretCode', 'numberId: $numberId', { numberId: ids['77010542006'] });
    expect((await finished(t, del.data!.deleteSecretCode.id)).status).toBe('SUCCESS');
  });

  it('refuses another company’s number as not found, and a read-only key as forbidden', async () => {
    const [other] = await t.db.dataSource.query(
      `SELECT n.id FROM billing.numbers n JOIN billing.companies c ON c.id = n.company_id WHERE c.bin <> '750750750750' AND c.bin <> '800800800800' LIMIT 1`,
    );
    const [a] = await t.db.dataSource.query(`SELECT id FROM billing.companies WHERE name = 'TOO Кабинет'`);
    const admin = await createAdministrator(t.db, { companyIds: [a.id] });
    const cookie = sessionCookie(
      (await t.request('mutation($p: String!, $w: String!) { login(phone: $p, password: $w) { id } }', { p: admin.phone, w: TEST_PASSWORD })).headers,
    );
    const foreign = await t.request('mutation($n: ID!) { blockNumber(numberId: $n) { id } }', { n: toGlobalId('Number', other.id) }, { cookie });
    expect(code(foreign)).toEqual({ code: 'NOT_FOUND' });
    const key = await t.request('mutation($c: ID!) { createApiKey(companyId: $c, name: "ro", scope: READ) { secret } }', { c: company }, { cookie });
    const readOnly = await t.request(
      'mutation($n: ID!) { sendSecretCode(numberId: $n) { id } }',
      { n: ids['77010542006'] },
      { authorization: `Bearer ${key.data!.createApiKey.secret}` },
    );
    expect(code(readOnly)).toEqual({ code: 'FORBIDDEN' });
    const badId = await t.request('mutation { blockNumber(numberId: "nope") { id } }', {}, { cookie });
    expect(code(badId)).toEqual({ code: 'BAD_USER_INPUT', field: 'numberId' });
  });
});
