import { ConfigError, loadConfig } from '../config';
import { reportMailerOptions } from './report.jobs';

describe('the report mailer configuration', () => {
  it('writes to <DATA_DIR>/outbox from the default sender without SMTP_URL', () => {
    expect(reportMailerOptions(loadConfig({ DATA_DIR: '/var/lib/cabinet' }, '/repo'))).toEqual({
      smtpUrl: undefined,
      outboxDir: '/var/lib/cabinet/outbox',
      from: 'Cabinet <no-reply@cabinet.kcell.kz>',
    });
  });

  it('sends through SMTP_URL from MAIL_FROM', () => {
    const config = loadConfig({ SMTP_URL: 'smtps://cabinet:secret@mail.kcell.kz:465', MAIL_FROM: 'reports@kcell.kz' }, '/repo');
    expect(reportMailerOptions(config)).toMatchObject({ smtpUrl: 'smtps://cabinet:secret@mail.kcell.kz:465', from: 'reports@kcell.kz' });
  });

  it('refuses an SMTP_URL that is not smtp:// or smtps:// and a MAIL_FROM that is not an address, naming both', () => {
    let error: unknown;
    try {
      loadConfig({ SMTP_URL: 'http://mail.kcell.kz', MAIL_FROM: 'Cabinet' }, '/repo');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringContaining('SMTP_URL'), expect.stringContaining('MAIL_FROM')]);
  });
});
