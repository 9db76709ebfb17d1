import { checkNewPassword } from '../../../gateway/src/auth/password';
import { checkPassword, passwordLength } from './password';

const me = { phone: '77012112170', email: 'petrov@example.kz', name: 'Петров Иван' };
const GOOD = 'snow falls on the steppe at dawn';

describe('checkPassword', () => {
  it('counts code points after NFKC, as the gateway does', () => {
    expect(passwordLength('ﬁ')).toBe(2);
    expect(passwordLength('😀😀')).toBe(2);
    expect(checkPassword('a'.repeat(14), '', me).problem).toBe('TOO_SHORT');
    expect(checkPassword('ﬁ'.repeat(8), 'ﬁ'.repeat(8), me)).toMatchObject({ length: 16, problem: null });
  });

  it('accepts 15 to 128 characters and refuses 129', () => {
    expect(checkPassword('x'.repeat(15), 'x'.repeat(15), me).rules.LENGTH).toBe(true);
    expect(checkPassword('x'.repeat(128), 'x'.repeat(128), me).rules.LENGTH).toBe(true);
    expect(checkPassword('x'.repeat(129), 'x'.repeat(129), me)).toMatchObject({ problem: 'TOO_LONG', rules: { LENGTH: false } });
  });

  it('refuses the phone, the e-mail, its local part or a word of the name inside the password', () => {
    expect(checkPassword('my number 701 211 21 70 ok', '', me).problem).toBe('CONTAINS_IDENTITY');
    expect(checkPassword('Petrov@Example.kz......', '', me).problem).toBe('CONTAINS_IDENTITY');
    expect(checkPassword('pe.trov!!!', '', { ...me, email: 'petrov@example.kz' }).problem).toBe('TOO_SHORT');
    expect(checkPassword('petrov...........', '', me).problem).toBe('CONTAINS_IDENTITY');
    expect(checkPassword('petrov@example.kz is where I read', '', me).problem).toBe('CONTAINS_IDENTITY');
    expect(checkPassword('  петров,  иван!!!  ', '', me).problem).toBe('CONTAINS_IDENTITY');
    expect(checkPassword(`${GOOD} петров`, '', me).problem).toBe('CONTAINS_IDENTITY');
    expect(checkPassword(`${GOOD} иван`, '', me).problem).toBe('CONTAINS_IDENTITY');
    expect(checkPassword(`${GOOD} li`, '', { ...me, name: 'Li Wei' }).rules.NOT_IDENTITY).toBe(true);
  });

  it('wants the repeat to match once the rest is met', () => {
    expect(checkPassword(GOOD, '', me)).toMatchObject({ problem: 'MISMATCH', rules: { REPEAT: false } });
    expect(checkPassword(GOOD, `${GOOD}!`, me).problem).toBe('MISMATCH');
    expect(checkPassword(GOOD, GOOD, me)).toEqual({ length: GOOD.length, rules: { LENGTH: true, NOT_IDENTITY: true, REPEAT: true }, problem: null });
  });
});

const SAME_AS_GATEWAY: Array<[string, string]> = [
  [GOOD, GOOD],
  [GOOD, 'snow falls on the steppe at dusk'],
  ['x'.repeat(14), ''],
  ['x'.repeat(129), ''],
  ['ﬁ'.repeat(7), ''],
  ['my number 701 211 21 70 ok', ''],
  ['8 701 211 2170 is my number', ''],
  ['petrov@example.kz is where I read', ''],
  ['my old friend petrov said hi', ''],
  [`${GOOD} ИВАН`, ''],
  ['  петров,  иван!!!  ', ''],
  [`${GOOD} iv`, ''],
];

describe('checkPassword and the gateway', () => {
  it.each(SAME_AS_GATEWAY)('answer %j (repeat %j) alike', (password, repeat) => {
    const gateway = checkNewPassword(password, repeat, me)?.code ?? null;
    expect(gateway).not.toBe('COMMON');
    expect(checkPassword(password, repeat, me).problem).toBe(gateway);
  });
});
