import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createServer, errors, type DecodedMessage, type PDU, type Server, type Session } from 'smpp';
import { createSmsSender, createSmppSms, type SmsDb } from './sms';

const SYSTEM_ID = 'cabinet';
const PASSWORD = 'secret';

interface Submitted {
  destination: unknown;
  destinationTon: unknown;
  destinationNpi: unknown;
  source: unknown;
  sourceTon: unknown;
  sourceNpi: unknown;
  dataCoding: unknown;
  field: 'short_message' | 'message_payload';
  text: string;
}

/** An SMSC on 127.0.0.1 that binds transmitters with the right credentials and answers each submit_sm. */
class TestSmsc {
  readonly submitted: Submitted[] = [];
  binds = 0;
  unbinds = 0;
  /** The command_status for submit_sm_resp; `null` leaves submit_sm unanswered. */
  submitStatus: number | null = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((session) => this.accept(session));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(password = PASSWORD): string {
    const { port } = this.server.address() as AddressInfo;
    return `smpp://${SYSTEM_ID}:${password}@127.0.0.1:${port}?source=Kcell&source_ton=5&source_npi=0`;
  }

  async dropSessions(): Promise<void> {
    await Promise.all(this.server.sessions.map((session) => new Promise<void>((resolve) => session.close(resolve))));
  }

  async stop(): Promise<void> {
    for (const session of this.server.sessions) session.destroy();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private accept(session: Session): void {
    let bound = false;
    session.on('error', () => {});
    session.on('bind_transmitter', (pdu: PDU) => {
      if (pdu.system_id !== SYSTEM_ID || pdu.password !== PASSWORD) {
        session.send(pdu.response({ command_status: errors.ESME_RINVPASWD }), () => session.close());
        return;
      }
      bound = true;
      this.binds += 1;
      session.send(pdu.response({ system_id: 'TESTSMSC' }));
    });
    session.on('submit_sm', (pdu: PDU) => {
      if (!bound) {
        session.send(pdu.response({ command_status: errors.ESME_RINVBNDSTS }));
        return;
      }
      const payload = pdu.message_payload as DecodedMessage | undefined;
      const field = payload === undefined ? 'short_message' : 'message_payload';
      const decoded = (payload ?? pdu.short_message) as DecodedMessage;
      this.submitted.push({
        destination: pdu.destination_addr,
        destinationTon: pdu.dest_addr_ton,
        destinationNpi: pdu.dest_addr_npi,
        source: pdu.source_addr,
        sourceTon: pdu.source_addr_ton,
        sourceNpi: pdu.source_addr_npi,
        dataCoding: pdu.data_coding,
        field,
        text: String(decoded.message),
      });
      if (this.submitStatus === null) return;
      session.send(pdu.response(this.submitStatus === 0 ? { message_id: `MSG${this.submitted.length}` } : { command_status: this.submitStatus }));
    });
    session.on('unbind', (pdu: PDU) => {
      this.unbinds += 1;
      session.send(pdu.response(), () => session.close());
    });
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('SMPP SMS', () => {
  let smsc: TestSmsc;
  let log: { info: jest.Mock };

  beforeEach(async () => {
    log = { info: jest.fn() };
    smsc = new TestSmsc();
    await smsc.start();
  });
  afterEach(async () => {
    await smsc.stop();
  });

  it('submits a Latin text in the default alphabet and resolves with the message_id', async () => {
    const sms = createSmppSms(smsc.url(), log);
    const text = 'Cabinet: your recovery code is 123456. Questions? help@cabinet.kz {24/7}';

    const sent = await sms.send({ to: '77011234567', text, purpose: 'RECOVERY_CODE' });
    await sms.close();

    expect(sent).toEqual({ id: 'MSG1' });
    expect(smsc.submitted).toEqual([
      {
        destination: '77011234567',
        destinationTon: 1,
        destinationNpi: 1,
        source: 'Kcell',
        sourceTon: 5,
        sourceNpi: 0,
        dataCoding: 0,
        field: 'short_message',
        text,
      },
    ]);
    expect(smsc.unbinds).toBe(1);
  });

  it('logs the recipient and message id but never the text, which may hold a code', async () => {
    const sms = createSmppSms(smsc.url(), log);

    await sms.send({ to: '77011234567', text: 'Ваш секретный код: 918273', purpose: 'SECRET_CODE' });
    await sms.close();

    expect(log.info).toHaveBeenCalledWith({ sms: { to: '77011234567', purpose: 'SECRET_CODE', id: 'MSG1' } }, 'SMS sent (SMPP)');
    expect(JSON.stringify(log.info.mock.calls)).not.toContain('918273');
  });

  it('submits a Kazakh and Russian text as UCS2', async () => {
    const sms = createSmppSms(smsc.url(), log);
    const text = 'Код восстановления: 123456. Қалпына келтіру коды';

    const sent = await sms.send({ to: '77771234567', text, purpose: 'RECOVERY_CODE' });
    await sms.close();

    expect(sent.id).toBe('MSG1');
    expect(smsc.submitted).toMatchObject([{ destination: '77771234567', source: 'Kcell', dataCoding: 8, field: 'short_message', text }]);
  });

  it('puts texts longer than one segment into message_payload', async () => {
    const sms = createSmppSms(smsc.url(), log);
    const latin = `Notice: ${'x'.repeat(160)}`;
    const cyrillic = `Уведомление: ${'ә'.repeat(70)}`;
    const longest = 'Қ'.repeat(670);

    for (const text of [latin, cyrillic, longest]) await sms.send({ to: '77011234567', text, purpose: 'NOTICE' });
    await sms.close();

    expect(smsc.submitted.map(({ field, dataCoding, text }) => ({ field, dataCoding, text }))).toEqual([
      { field: 'message_payload', dataCoding: 0, text: latin },
      { field: 'message_payload', dataCoding: 8, text: cyrillic },
      { field: 'message_payload', dataCoding: 8, text: longest },
    ]);
  });

  it('rejects with the bind status when the SMSC refuses the password, submitting nothing', async () => {
    const sms = createSmppSms(smsc.url('wrong'), log);

    await expect(sms.send({ to: '77011234567', text: 'Code 1', purpose: 'SECRET_CODE' })).rejects.toMatchObject({
      name: 'SmppError',
      command: 'bind_transmitter',
      status: 'ESME_RINVPASWD',
    });
    await sms.close();

    expect(smsc.binds).toBe(0);
    expect(smsc.submitted).toHaveLength(0);
  });

  it('rejects with the submit status when the SMSC refuses the message, and sends the next one', async () => {
    const sms = createSmppSms(smsc.url(), log);
    smsc.submitStatus = errors.ESME_RTHROTTLED!;

    const refused = sms.send({ to: '77011234567', text: 'Code 1', purpose: 'SECRET_CODE' });
    await expect(refused).rejects.toMatchObject({ name: 'SmppError', command: 'submit_sm', status: 'ESME_RTHROTTLED' });
    await expect(refused).rejects.toThrow(/ESME_RTHROTTLED/);
    smsc.submitStatus = 0;
    await expect(sms.send({ to: '77011234567', text: 'Code 2', purpose: 'SECRET_CODE' })).resolves.toEqual({ id: 'MSG2' });
    await sms.close();

    expect(smsc.binds).toBe(1);
  });

  it('binds again on the next send after the SMSC dropped the session', async () => {
    const sms = createSmppSms(smsc.url(), log);
    await sms.send({ to: '77011234567', text: 'first', purpose: 'NOTICE' });

    await smsc.dropSessions();
    const sent = await sms.send({ to: '77011234567', text: 'second', purpose: 'NOTICE' });
    await sms.close();

    expect(sent.id).toBe('MSG2');
    expect(smsc.binds).toBe(2);
    expect(smsc.submitted.map((submitted) => submitted.text)).toEqual(['first', 'second']);
  });

  it('rejects with TIMEOUT when the SMSC does not answer submit_sm in time', async () => {
    const sms = createSmppSms(smsc.url(), log, { timeoutMs: 200 });
    smsc.submitStatus = null;

    await expect(sms.send({ to: '77011234567', text: 'Code 1', purpose: 'SECRET_CODE' })).rejects.toMatchObject({
      command: 'submit_sm',
      status: 'TIMEOUT',
    });
    await sms.close();

    expect(smsc.submitted).toHaveLength(1);
  });

  it('rejects with SESSION_CLOSED when nothing listens at the URL', async () => {
    const sms = createSmppSms(`smpp://${SYSTEM_ID}:${PASSWORD}@127.0.0.1:${await freePort()}?source=Kcell`, log);

    await expect(sms.send({ to: '77011234567', text: 'Code 1', purpose: 'SECRET_CODE' })).rejects.toMatchObject({
      command: 'bind_transmitter',
      status: 'SESSION_CLOSED',
    });
    await sms.close();
  });

  it('refuses an invalid phone before connecting', async () => {
    const sms = createSmppSms(smsc.url(), log);

    await expect(sms.send({ to: '+77011234567', text: 'Code', purpose: 'SECRET_CODE' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extra: { field: 'to' },
    });
    await sms.close();

    expect(smsc.binds).toBe(0);
  });

  it('refuses a malformed URL at creation without repeating the password', () => {
    const bad = [
      'http://cabinet:hunter2@127.0.0.1:2775?source=Kcell',
      'smpp://cabinet:hunter2@127.0.0.1:2775',
      'smpp://127.0.0.1:2775?source=Kcell',
      'smpp://cabinet:hunter2@127.0.0.1:2775?source=Kcell&source_ton=five',
      'smpp://cabinet:hunter2@127.0.0.1:2775?source=Kcell&sourse_npi=0',
      'smpp://cabinet:hunter2@127.0.0.1:2775?source=TooLongSenderName',
    ];
    for (const url of bad) {
      expect(() => createSmppSms(url, log)).toThrow(Error);
      expect(() => createSmppSms(url, log)).not.toThrow(/hunter2/);
    }
  });

  it('sends through SMPP, not the outbox, when an SMPP URL is configured', async () => {
    const db: SmsDb = { query: jest.fn() };
    const sms = createSmsSender({ smppUrl: smsc.url() }, db, log);

    await sms.send({ to: '77011234567', text: 'Notice', purpose: 'NOTICE' });
    await sms.close();

    expect(smsc.submitted).toHaveLength(1);
    expect(db.query).not.toHaveBeenCalled();
  });
});
