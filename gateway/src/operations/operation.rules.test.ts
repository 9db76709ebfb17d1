import { allowedOperations, checkState } from './operation.catalogue';
import { parseIccid, parseIdempotencyKey, parseImei } from './operation.rules';

const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('operation rules', () => {
  it('accepts a grouped ICCID with a valid check digit', () => {
    expect(parseIccid('8999 7020 0564 8306 1023')).toBe('89997020056483061023');
  });

  it('refuses an ICCID of the wrong length, with a bad check digit, or with letters', () => {
    expect(code(() => parseIccid('8999702005648306102'))).toBe('BAD_USER_INPUT');
    expect(code(() => parseIccid('899970200564830610234'))).toBe('BAD_USER_INPUT');
    expect(code(() => parseIccid('89997020056483061024'))).toBe('BAD_USER_INPUT');
    expect(code(() => parseIccid('8999702005648306102A'))).toBe('BAD_USER_INPUT');
  });

  it('accepts a valid IMEI and refuses a bad check digit or length', () => {
    expect(parseImei('353678076511555')).toBe('353678076511555');
    expect(code(() => parseImei('353678076511556'))).toBe('BAD_USER_INPUT');
    expect(code(() => parseImei('35367807651155'))).toBe('BAD_USER_INPUT');
  });

  it('bounds idempotency keys', () => {
    expect(parseIdempotencyKey(undefined)).toBeNull();
    expect(parseIdempotencyKey('a'.repeat(100))).toHaveLength(100);
    expect(code(() => parseIdempotencyKey('a'.repeat(101)))).toBe('BAD_USER_INPUT');
    expect(code(() => parseIdempotencyKey('has space'))).toBe('BAD_USER_INPUT');
  });

  it('refuses to unblock a number blocked for debt', () => {
    expect(code(() => checkState('UNBLOCK_NUMBER', 'BLOCKED_DEBT'))).toBe('NUMBER_BLOCKED_FOR_DEBT');
  });

  it('allows SIM replacement and service changes on Active numbers only', () => {
    for (const kind of ['REPLACE_SIM', 'CONNECT_SERVICE', 'DISCONNECT_SERVICE'] as const) {
      expect(code(() => checkState(kind, 'ACTIVE'))).toBe('ok');
      expect(code(() => checkState(kind, 'BLOCKED'))).toBe('NUMBER_NOT_ACTIVE');
      expect(code(() => checkState(kind, 'BLOCKED_DEBT'))).toBe('NUMBER_NOT_ACTIVE');
    }
  });

  it('offers each state only what it allows', () => {
    expect(allowedOperations('ACTIVE')).not.toContain('UNBLOCK_NUMBER');
    expect(allowedOperations('ACTIVE')).toContain('BLOCK_NUMBER');
    expect(allowedOperations('BLOCKED')).toEqual(expect.arrayContaining(['UNBLOCK_NUMBER', 'SEND_SECRET_CODE']));
    expect(allowedOperations('BLOCKED')).not.toContain('REPLACE_SIM');
    expect(allowedOperations('BLOCKED_DEBT')).not.toContain('UNBLOCK_NUMBER');
    expect(allowedOperations('IN_PROCESS')).not.toContain('BLOCK_NUMBER');
  });
});
