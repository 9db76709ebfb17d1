import { PassThrough } from 'node:stream';
import { createLogger } from './logger';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
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
