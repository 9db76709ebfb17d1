import { PassThrough } from 'node:stream';
import { createLogger, LazyChildLogger } from './logger';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const text = () => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('createLogger', () => {
  it('writes one JSON object a line to a pipe', async () => {
    const out = capture(false);
    createLogger('info', out.stream).info({ sms: { to: '77012112170' } }, 'SMS (outbox)');
    await settle();
    const line = JSON.parse(out.text().trim());
    expect(line).toMatchObject({ msg: 'SMS (outbox)', sms: { to: '77012112170' }, level: 30 });
  });

  it('logs an error by its kind, message, stack, code and cause, not the objects a library hung on it', async () => {
    const out = capture(false);
    const failure = Object.assign(new Error('Connection terminated unexpectedly', { cause: new TypeError('socket closed') }), {
      code: 'ECONNRESET',
      client: { connectionParameters: { user: 'cabinet', host: 'db' }, secretKey: 918273645, processID: 42 },
      detail: 'Key (phone)=(77012112170) already exists.',
    });
    createLogger('info', out.stream).error({ err: failure }, 'job queue error');
    await settle();
    const line = JSON.parse(out.text().trim());
    expect(line.err).toEqual({
      type: 'Error',
      message: 'Connection terminated unexpectedly',
      stack: failure.stack,
      errorCode: 'ECONNRESET',
      cause: { type: 'TypeError', message: 'socket closed', stack: (failure.cause as Error).stack },
    });
    expect(out.text()).not.toContain('918273645');
    expect(out.text()).not.toContain('77012112170');
  });

  it('writes readable text to a terminal, secrets still redacted', async () => {
    const out = capture(true);
    createLogger('info', out.stream).info({ password: 'a passphrase of words', sms: { to: '77012112170' } }, 'SMS (outbox)');
    await settle();
    const text = out.text();
    expect(() => JSON.parse(text.trim())).toThrow();
    expect(text).toMatch(/INFO.*SMS \(outbox\)/);
    expect(text).toContain('77012112170');
    expect(text).not.toContain('a passphrase of words');
  });
});

describe('LazyChildLogger', () => {
  it('makes no pino child until a line is written at the level, then one with every binding', async () => {
    const out = capture(false);
    const root = createLogger('warn', out.stream);
    const child = jest.spyOn(root, 'child');
    const request = new LazyChildLogger(root, { reqId: 'r-1' }).child({ operationName: 'ListPage' });
    request.info('not at this level');
    request.debug({ password: 'hunter2' }, 'nor this');
    expect(child).not.toHaveBeenCalled();
    request.warn({ password: 'hunter2' }, 'slow answer');
    request.error('failed');
    await settle();
    expect(child).toHaveBeenCalledTimes(1);
    const lines = out.lines();
    expect(lines).toMatchObject([
      { reqId: 'r-1', operationName: 'ListPage', msg: 'slow answer', level: 40, password: '[redacted]' },
      { reqId: 'r-1', operationName: 'ListPage', msg: 'failed', level: 50 },
    ]);
  });

  it('follows its own level when given one, and the parent’s otherwise', async () => {
    const out = capture(false);
    const root = createLogger('info', out.stream);
    const chatty = new LazyChildLogger(root, { route: 'a' }, { level: 'debug' });
    const quiet = new LazyChildLogger(root, { route: 'b' });
    expect([chatty.level, quiet.level]).toEqual(['debug', 'info']);
    chatty.debug('written');
    quiet.debug('not written');
    chatty.child({ step: 2 }).debug('written by a child of a made child');
    await settle();
    const lines = out.lines();
    expect(lines).toMatchObject([
      { route: 'a', msg: 'written' },
      { route: 'a', step: 2, msg: 'written by a child of a made child' },
    ]);
    expect(lines).toHaveLength(2);
  });
});
