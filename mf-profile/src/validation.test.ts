import { isEmail } from './validation';

const ACCEPTED = ['erlan@example.kz', 'first.last+tag@mail.example.com', "o'brien@example.org"];
const REFUSED = [
  'a@[127.0.0.1]',
  'иван@почта.kz',
  'ivan@почта.kz',
  'a@b',
  'a b@example.kz',
  'a@example..kz',
  'a@-example.kz',
  'two@at@example.kz',
  '"quoted"@example.kz',
  'Name <a@example.kz>',
  'a@example.kz,b@example.kz',
  `${'x'.repeat(65)}@example.kz`,
  `a@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.${'g'.repeat(60)}.kz`,
  '',
];

describe('the profile e-mail check', () => {
  it.each(ACCEPTED)('takes %j', (value) => {
    expect(isEmail(value)).toBe(true);
  });

  it.each(REFUSED)('refuses %j, as the gateway and the reports do', (value) => {
    expect(isEmail(value)).toBe(false);
  });

  it('refuses what the mailer cannot send to and takes ordinary addresses', () => {
    expect(isEmail('a@[127.0.0.1]')).toBe(false);
    expect(isEmail('иван@почта.kz')).toBe(false);
    expect(isEmail(' erlan@example.kz ')).toBe(true);
  });
});
