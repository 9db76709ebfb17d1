import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATION_KINDS } from '../operations/operation.entity';
import { ActionCode } from './action-log.type';
import { LANGUAGES } from '../core/language';
import { describeAction, describedActions, REPORT_FAILURES, reportFailureText } from './action-text';

const SRC = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' || entry.name === 'seed' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Codes written to the actions log: `action: 'X'` in recorder calls, the `code` of issued documents, and every operation kind. */
function recordedCodes(): string[] {
  const codes = new Set<string>(OPERATION_KINDS);
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\baction:\s*'([A-Z][A-Z0-9_]+)'/g)) codes.add(match[1]);
    for (const issued of text.matchAll(/\bissue\([^;]*?\bcode:([^,}]+)/g)) {
      for (const match of issued[1].matchAll(/'([A-Z]+_[A-Z0-9_]+)'/g)) codes.add(match[1]);
    }
  }
  return [...codes].sort();
}

describe('actions history texts', () => {
  it('has an English, Russian and Kazakh text for every action the gateway records', () => {
    const recorded = recordedCodes();
    expect(recorded.length).toBeGreaterThan(30);
    expect(recorded.filter((code) => !describedActions().includes(code))).toEqual([]);
  });

  it('lists in the company history enum every code recorded for a company, and only those', () => {
    const personal = [
      'LOGIN',
      'LOGOUT',
      'PASSWORD_RECOVERY_START',
      'PASSWORD_RECOVERY_CODE',
      'PASSWORD_RECOVERY_COMPLETE',
      'CHANGE_PASSWORD',
      'CHANGE_EMAIL',
      'END_SESSION',
      'END_OTHER_SESSIONS',
    ];
    expect([...Object.values(ActionCode), ...personal].sort()).toEqual(recordedCodes());
  });

  it('names conditions, scopes and services in the reader’s language, never by their codes', () => {
    const forwarding = { msisdn: '77010542006', condition: 'NO_ANSWER', target: '77010542003' };
    expect(describeAction('SET_CALL_FORWARDING', forwarding, 'en')).toBe('Call forwarding from number 77010542006 to 77010542003, when there is no answer');
    expect(describeAction('SET_CALL_FORWARDING', forwarding, 'ru')).toBe('Переадресация с номера 77010542006 на 77010542003, если нет ответа');
    expect(describeAction('CANCEL_CALL_FORWARDING', forwarding, 'kk')).toBe('77010542006 нөмірінің қоңырауды бағыттауын болдырмау (жауап бермесе)');
    expect(describeAction('CREATE_API_KEY', { name: 'ERP', scope: 'OPERATE' }, 'ru')).toBe('Создан ключ API партнёра «ERP» (чтение и операции)');
    expect(describeAction('CONNECT_SERVICE', { msisdn: '77010542006', service: 'INTERNET_1', serviceName: 'Интернет 1' }, 'ru')).toBe(
      'Подключение услуги «Интернет 1» на номере 77010542006',
    );
    for (const language of ['en', 'ru', 'kk'] as const) {
      for (const d of [forwarding, { condition: 'ALWAYS', msisdn: '1', target: '2' }]) {
        expect(describeAction('SET_CALL_FORWARDING', d, language)).not.toMatch(/NO_ANSWER|ALWAYS/);
      }
    }
  });

  it('fills the texts from the entry’s details', () => {
    expect(describeAction('REVEAL_SIM_CODES', { msisdn: '77010542006', iccid: '89997020056483061023' }, 'en')).toBe(
      'PIN and PUK codes shown for number 77010542006 (SIM 89997020056483061023)',
    );
    expect(describeAction('SET_SMS_USSD_BAN', { msisdn: '77010542006', enabled: true } as never, 'ru')).toBe('Запрет SMS и USSD на номере 77010542006');
    expect(describeAction('SET_SMS_USSD_BAN', { msisdn: '77010542006', enabled: false } as never, 'en')).toBe('Allow SMS and USSD on number 77010542006');
    expect(describeAction('UNKNOWN_THING', { msisdn: '77010542006' }, 'kk')).toBe('UNKNOWN_THING 77010542006');
  });
});

describe('report failure codes', () => {
  it('are listed in schema/README.md', () => {
    const readme = readFileSync(join(__dirname, '../../../schema/README.md'), 'utf8');
    expect(Object.keys(REPORT_FAILURES).filter((code) => !new RegExp(`^\\| \`${code}\` +\\|`, 'm').test(readme))).toEqual([]);
  });

  it('read in every language, and a text stored before the codes is not shown', () => {
    for (const texts of Object.values(REPORT_FAILURES)) for (const language of LANGUAGES) expect(texts[language].length).toBeGreaterThan(10);
    expect(reportFailureText('REPORT_NOT_SENT', 'kk')).toBe(REPORT_FAILURES.REPORT_NOT_SENT.kk);
    expect(reportFailureText('connect ECONNREFUSED 127.0.0.1:5432', 'ru')).toBe(REPORT_FAILURES.REPORT_NOT_PREPARED.ru);
    expect(reportFailureText('toString', 'en')).toBe(REPORT_FAILURES.REPORT_NOT_PREPARED.en);
  });
});
