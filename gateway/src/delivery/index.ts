export { type SmsSender } from './sms';
export { smsText } from './sms.texts';
export { isEmailAddress, mailOutboxDir, type Mailer, type MailerOptions } from './mail';
export { DOWNLOAD_TTL_SECONDS, DOWNLOADS_PATH, downloadSecret, principalKey, readDownload, signDownload } from './download.token';
