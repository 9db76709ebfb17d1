import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressRange, isLoopbackHost, refusedRange, resolveHost } from './webhook.address';
import { checkWebhookUrl, STRICT_POLICY } from './webhook.service';
import { signatureHeader, verifySignature, WEBHOOK_HEADERS } from './webhook.signature';

describe('webhook addresses', () => {
  it.each([
    ['8.8.8.8', null],
    ['2a00:1450:4001::200e', null],
    ['10.0.0.1', 'PRIVATE'],
    ['172.31.255.255', 'PRIVATE'],
    ['172.32.0.1', null],
    ['192.168.1.1', 'PRIVATE'],
    ['127.0.0.1', 'LOOPBACK'],
    ['::1', 'LOOPBACK'],
    ['169.254.169.254', 'LINK_LOCAL'],
    ['fe80::1', 'LINK_LOCAL'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['100.128.0.1', null],
    ['224.0.0.251', 'MULTICAST'],
    ['ff02::1', 'MULTICAST'],
    ['fd00::1', 'UNIQUE_LOCAL'],
    ['0.0.0.0', 'UNSPECIFIED'],
    ['::', 'UNSPECIFIED'],
    ['::ffff:192.168.0.1', 'PRIVATE'],
    ['::ffff:7f00:1', 'LOOPBACK'],
    ['[::1]', 'LOOPBACK'],
  ])('%s is %s', (address, range) => {
    expect(addressRange(address)).toBe(range);
  });

  it('allows loopback only when told, and private networks only when listed', () => {
    expect(refusedRange('127.0.0.1', STRICT_POLICY)).toBe('LOOPBACK');
    expect(refusedRange('127.0.0.1', { allowLoopback: true, allowedNetworks: [] })).toBeNull();
    expect(refusedRange('10.20.0.5', { allowLoopback: true, allowedNetworks: [] })).toBe('PRIVATE');
    expect(refusedRange('10.20.0.5', { allowLoopback: false, allowedNetworks: ['10.20.0.0/16'] })).toBeNull();
    expect(refusedRange('10.21.0.5', { allowLoopback: false, allowedNetworks: ['10.20.0.0/16', 'fd00::7'] })).toBe('PRIVATE');
    expect(refusedRange('fd00::7', { allowLoopback: false, allowedNetworks: ['10.20.0.0/16', 'fd00::7'] })).toBeNull();
  });

  it('refuses a name any of whose addresses is private', async () => {
    expect(await resolveHost('localhost', STRICT_POLICY)).toMatchObject({ refused: 'PRIVATE_ADDRESS', range: 'LOOPBACK' });
    expect(await resolveHost('localhost', { allowLoopback: true, allowedNetworks: [] })).toMatchObject({ address: expect.any(String) });
    expect(await resolveHost('no-such-host.invalid', STRICT_POLICY)).toEqual({ refused: 'UNRESOLVABLE' });
  });

  it('takes plain http only to a loopback host, and refuses loopback itself unless allowed', async () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('partner.kz')).toBe(false);
    await expect(checkWebhookUrl('http://127.0.0.1:8080/hook', STRICT_POLICY)).rejects.toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
      extra: { reason: 'PRIVATE_ADDRESS' },
    });
    await expect(checkWebhookUrl(' http://127.0.0.1:8080/hook ', { allowLoopback: true, allowedNetworks: [] })).resolves.toBe('http://127.0.0.1:8080/hook');
    await expect(checkWebhookUrl('https://no-such-host.invalid/hook', STRICT_POLICY)).rejects.toMatchObject({ extra: { reason: 'UNRESOLVABLE' } });
    await expect(checkWebhookUrl('https://8.8.8.8/hook', STRICT_POLICY)).resolves.toBe('https://8.8.8.8/hook');
  });
});

describe('webhook signatures', () => {
  const body = '{"id":"x","type":"NUMBER_CHANGED"}';

  it('is the hex HMAC-SHA256 of timestamp.body, one v1 per secret', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], 1700000000, body);
    const hmac = (secret: string) => createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`v1=${hmac('whsec_new')},v1=${hmac('whsec_old')}`);
  });

  it('verifies with either secret, and refuses a changed body, another secret or an old timestamp', () => {
    const now = 1700000000;
    const signature = signatureHeader(['whsec_new', 'whsec_old'], now, body);
    const header = { timestamp: String(now), signature };
    expect(verifySignature('whsec_new', header, body, now)).toBe(true);
    expect(verifySignature('whsec_old', header, body, now + 60)).toBe(true);
    expect(verifySignature('whsec_other', header, body, now)).toBe(false);
    expect(verifySignature('whsec_new', header, `${body} `, now)).toBe(false);
    expect(verifySignature('whsec_new', header, body, now + 301)).toBe(false);
    expect(verifySignature('whsec_new', { timestamp: undefined, signature }, body, now)).toBe(false);
  });

  it('is checked by the README’s receiver example as the dispatcher signs it', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const example = /A receiver checks it like this[^`]*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const verify = new Function('require', `${example}\nreturn verify;`)(require) as (secret: string, headers: Record<string, string>, body: string) => boolean;
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      [WEBHOOK_HEADERS.timestamp.toLowerCase()]: String(timestamp),
      [WEBHOOK_HEADERS.signature.toLowerCase()]: signatureHeader(['whsec_new', 'whsec_old'], timestamp, body),
    };
    expect(verify('whsec_new', headers, body)).toBe(true);
    expect(verify('whsec_old', headers, body)).toBe(true);
    expect(verify('whsec_other', headers, body)).toBe(false);
    expect(verify('whsec_new', headers, body.replace('x', 'y'))).toBe(false);
    expect(verify('whsec_new', { ...headers, [WEBHOOK_HEADERS.timestamp.toLowerCase()]: String(timestamp - 600) }, body)).toBe(false);
  });
});
