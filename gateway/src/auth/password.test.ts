import { hash } from '@node-rs/argon2';
import {
  ARGON2_PARAMS,
  DUMMY_HASH,
  PASSWORD_MAX,
  PASSWORD_MIN,
  checkNewPassword,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from './password';

const codePoints = (text: string, count: number): string => [...text].slice(0, count).join('');
const emoji = (count: number): string => String.fromCodePoint(...Array.from({ length: count }, (_, i) => 0x1f600 + i));
const codeOf = (...args: Parameters<typeof checkNewPassword>) => checkNewPassword(...args)?.code ?? null;

const KAZAKH_LETTERS = 'көктемгіжаңбыртерезеде';
const ASCII_PASSPHRASE = 'violet tram bus ferry orbit';

describe('hashPassword and verifyPassword', () => {
  it('verifies the password that was hashed', async () => {
    const stored = await hashPassword('violet tram bus ferry');
    await expect(verifyPassword(stored, 'violet tram bus ferry')).resolves.toBe(true);
  });

  it('refuses a wrong password', async () => {
    const stored = await hashPassword('violet tram bus ferry');
    await expect(verifyPassword(stored, 'violet tram bus ferrY')).resolves.toBe(false);
  });

  it.each(['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$broken', '$2b$10$abcdefghijklmnopqrstuv'])(
    'returns false for the malformed hash %j',
    async (malformed) => {
      await expect(verifyPassword(malformed, 'violet tram bus ferry')).resolves.toBe(false);
    },
  );

  it('stores argon2id with the memory-hard parameters in the PHC string', async () => {
    const stored = await hashPassword('violet tram bus ferry');
    expect(stored).toContain('$argon2id$');
    expect(stored).toContain('m=19456,t=2,p=1');
    expect(ARGON2_PARAMS).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('hashes the NFKC form, so a full-width digit matches the ASCII digit', async () => {
    const stored = await hashPassword('violet tram bus ７');
    await expect(verifyPassword(stored, 'violet tram bus 7')).resolves.toBe(true);
  });

  it('asks for a rehash of a hash made with other parameters', async () => {
    const weaker = await hash('violet tram bus ferry', { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(needsRehash(weaker)).toBe(true);
    expect(needsRehash(await hashPassword('violet tram bus ferry'))).toBe(false);
  });

  it('asks for a rehash of a hash it cannot parse', () => {
    expect(needsRehash('not a hash')).toBe(true);
  });

  it('keeps the dummy hash at the current parameters and never accepts a password against it', async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    await expect(verifyAgainstDummy('violet tram bus ferry')).resolves.toBe(false);
  });
});

describe('checkNewPassword', () => {
  it(`refuses ${PASSWORD_MIN - 1} characters and accepts ${PASSWORD_MIN}`, () => {
    expect(codeOf(codePoints(ASCII_PASSPHRASE, PASSWORD_MIN - 1))).toBe('TOO_SHORT');
    expect(codeOf(codePoints(ASCII_PASSPHRASE, PASSWORD_MIN))).toBeNull();
  });

  it('counts Kazakh letters as one character each', () => {
    expect(codeOf(codePoints(KAZAKH_LETTERS, PASSWORD_MIN - 1))).toBe('TOO_SHORT');
    expect(codeOf(codePoints(KAZAKH_LETTERS, PASSWORD_MIN))).toBeNull();
  });

  it('counts emoji by code point, not by UTF-16 unit', () => {
    expect(emoji(PASSWORD_MIN - 1).length).toBeGreaterThanOrEqual(PASSWORD_MIN);
    expect(codeOf(emoji(PASSWORD_MIN - 1))).toBe('TOO_SHORT');
    expect(codeOf(emoji(PASSWORD_MIN))).toBeNull();
    expect(codeOf(emoji(PASSWORD_MAX))).toBeNull();
    expect(codeOf(emoji(PASSWORD_MAX + 1))).toBe('TOO_LONG');
  });

  it(`accepts ${PASSWORD_MAX} characters and refuses ${PASSWORD_MAX + 1}`, () => {
    const long = Array.from({ length: 20 }, (_, i) => `${ASCII_PASSPHRASE} ${i}`).join(' ');
    expect(codeOf(codePoints(long, PASSWORD_MAX))).toBeNull();
    expect(codeOf(codePoints(long, PASSWORD_MAX + 1))).toBe('TOO_LONG');
  });

  it('counts the length after NFKC', () => {
    const composing = 'violet tram be\u0301';
    expect([...composing]).toHaveLength(PASSWORD_MIN);
    expect(codeOf(composing)).toBe('TOO_SHORT');
    const expanding = 'violet tram \uFB03';
    expect([...expanding].length).toBeLessThan(PASSWORD_MIN);
    expect(codeOf(expanding)).toBeNull();
  });

  it('accepts a passphrase of Kazakh words with spaces', () => {
    expect(checkNewPassword('көктемгі жаңбыр терезеде')).toBeNull();
  });

  it.each(['passwordpassword', '1QAZ2WSX3EDC4RFV', 'ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ', 'Password Password'])(
    'refuses the listed password %j whatever its case, width or spacing',
    (common) => {
      expect(codeOf(common)).toBe('COMMON');
    },
  );

  it.each(['monkeymonkeymon', 'dragondragondragon', 'qwerty qwerty qwerty', 'iloveyouiloveyou'])(
    'refuses the common password repeated to length: %j',
    (repeated) => {
      expect(codeOf(repeated)).toBe('COMMON');
    },
  );

  it.each(['aaaaaaaaaaaaaaa', '               ', 'ж'.repeat(PASSWORD_MIN), 'ab'.repeat(8), '7'.repeat(40)])('refuses a short unit repeated: %j', (repeated) => {
    expect(codeOf(repeated)).toBe('COMMON');
  });

  it.each(['123456789012345', 'abcdefghijklmnop', 'zyxwvutsrqponmlk', '0987654321098765', 'qwertyuiopasdfgh', 'абвгдеёжзийклмно'])(
    'refuses the sequential string %j',
    (sequential) => {
      expect(codeOf(sequential)).toBe('COMMON');
    },
  );

  it('accepts a passphrase that repeats a long unlisted phrase', () => {
    expect(codeOf('violet tram violet tram')).toBeNull();
  });

  it('refuses a password that contains the phone number, however it is written', () => {
    const context = { phone: '+7 701 234 5678' };
    expect(codeOf('+77012345678 ok', undefined, context)).toBe('CONTAINS_IDENTITY');
    expect(codeOf('my number 8 701 234 56 78', undefined, context)).toBe('CONTAINS_IDENTITY');
    expect(codeOf('call me at 701-234-5678', undefined, context)).toBe('CONTAINS_IDENTITY');
    expect(codeOf('my number 8 701 234 56 70', undefined, context)).toBeNull();
  });

  it('refuses a password equal to the e-mail or its local part, or containing it', () => {
    const context = { email: 'Aigerim.Nurlanova@example.kz' };
    expect(codeOf('aigerim.nurlanova@example.kz', undefined, context)).toBe('CONTAINS_IDENTITY');
    expect(codeOf('aigerim.nurlanova', undefined, context)).toBe('CONTAINS_IDENTITY');
    expect(codeOf('aigerim nurlanova', undefined, context)).toBe('CONTAINS_IDENTITY');
    expect(codeOf('aigerim nurlanova rides a tram', undefined, context)).toBe('CONTAINS_IDENTITY');
    expect(codeOf('a nurse rides a slow tram home', undefined, context)).toBeNull();
  });

  it('refuses a password equal to the name', () => {
    expect(codeOf('айгерим нурланова', undefined, { name: 'Айгерим Нурланова' })).toBe('CONTAINS_IDENTITY');
  });

  it('accepts a password when the context is empty or null', () => {
    expect(codeOf('violet tram bus ferry', undefined, { phone: '', email: '', name: '' })).toBeNull();
    expect(codeOf('violet tram bus ferry', undefined, { phone: null, email: null, name: null })).toBeNull();
  });

  it('refuses a repeat that differs', () => {
    expect(codeOf('violet tram bus ferry', 'violet tram bus fery')).toBe('MISMATCH');
  });

  it('accepts a repeat equal after NFKC', () => {
    expect(codeOf('violet tram bus ７', 'violet tram bus 7')).toBeNull();
  });

  it('gives every problem a message', () => {
    expect(checkNewPassword('short')?.message).toEqual(expect.stringContaining(String(PASSWORD_MIN)));
  });
});

describe('checkNewPassword against guessable shapes', () => {
  it.each(['password123456789', 'P@ssw0rd12345678', 'Password1234567!', '!!!qwerty1234567', '2024 iloveyou 2024!!'])(
    'refuses %j: a common password with digits or symbols around it',
    (password) => {
      expect(checkNewPassword(password)?.code).toBe('COMMON');
    },
  );

  it('still accepts passphrases with digits and symbols in them', () => {
    expect(checkNewPassword('7 bright lanterns over Almaty!')).toBeNull();
    expect(checkNewPassword('correct horse battery staple 42')).toBeNull();
  });

  it('refuses a password that contains the name or the e-mail, not only one equal to them', () => {
    const me = { name: 'Сейтқали Ерлан', email: 'erlan.s@example.kz', phone: '77012112170' };
    expect(checkNewPassword('Сейтқали Ерлан Сейтқали Ерлан', undefined, me)?.code).toBe('CONTAINS_IDENTITY');
    expect(checkNewPassword('ерлан любит горы зимой', undefined, me)?.code).toBe('CONTAINS_IDENTITY');
    expect(checkNewPassword('write to erlan.s@example.kz now', undefined, me)?.code).toBe('CONTAINS_IDENTITY');
    expect(checkNewPassword('жаңбырлы көктемгі таң атты', undefined, me)).toBeNull();
  });
});
