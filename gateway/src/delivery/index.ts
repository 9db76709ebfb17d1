// What the domains take from delivery: the SMS sender they are handed and its texts, the mailer of reports, and
// the signed download links of documents.
export { smsText } from './sms.texts';
export type { SmsSender } from './sms';
export { isEmailAddress, mailOutboxDir, type Mailer, type MailerOptions } from './mail';
export { DOWNLOAD_TTL_SECONDS, DOWNLOADS_PATH, downloadSecret } from './download.token';
