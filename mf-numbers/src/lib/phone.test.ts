import { phoneInText } from './phone';

describe('phoneInText', () => {
  it('writes the number as the kit does, with no-break spaces only', () => {
    expect(phoneInText('77010542006')).toBe('+7\u00a0701\u00a0054\u00a020\u00a006');
    expect(phoneInText('77010542006')).not.toMatch(/ /);
  });
});
