import type { Language } from '../core/language';

interface DisabledMail {
  subject: (name: string) => string;
  text: (p: { name: string; url: string; company: string; failures: number }) => string;
}

/** The e-mail to a company's administrators when an endpoint is disabled after a run of failures. */
export const DISABLED_MAIL: Record<Language, DisabledMail> = {
  en: {
    subject: (name) => `Webhook endpoint “${name}” has been disabled`,
    text: ({ name, url, company, failures }) =>
      `The webhook endpoint “${name}” of ${company} (${url}) failed ${failures} times in a row and has been disabled: no events are sent to it.\n\n` +
      'Its delivery log in the portal (Profile → API and webhooks) shows each attempt. Once the receiver works again, enable the endpoint and redeliver the failed events.',
  },
  ru: {
    subject: (name) => `Вебхук «${name}» отключён`,
    text: ({ name, url, company, failures }) =>
      `Вебхук «${name}» компании ${company} (${url}) не принял события ${failures} раз подряд и отключён: события на него больше не отправляются.\n\n` +
      'Журнал доставок в портале (Профиль → API и вебхуки) показывает каждую попытку. Когда приёмник заработает, включите вебхук и отправьте неудавшиеся события повторно.',
  },
  kk: {
    subject: (name) => `«${name}» вебхугі өшірілді`,
    text: ({ name, url, company, failures }) =>
      `${company} компаниясының «${name}» вебхугі (${url}) оқиғаларды қатарынан ${failures} рет қабылдамады және өшірілді: оған оқиғалар енді жіберілмейді.\n\n` +
      'Порталдағы жеткізу журналы (Профиль → API және вебхуктар) әр әрекетті көрсетеді. Қабылдағыш қайта жұмыс істегенде, вебхукты қосып, сәтсіз оқиғаларды қайта жіберіңіз.',
  },
};
