import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isEmailAddress } from '@cabinet/schema/rules';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { BadUserInputError } from '../core/errors';

export { isEmailAddress };

export interface MailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…`. Without it messages are written to `outboxDir`. */
  smtpUrl?: string;
  /** Where `.eml` files go when there is no SMTP server; created on first use. */
  outboxDir: string;
  /** The sender address, e.g. `Cabinet <cabinet@operator.kz>`. */
  from: string;
}

export interface MailAttachment {
  filename: string;
  /** A file to attach; give either `path` or `content`. */
  path?: string;
  content?: NodeJS.ReadableStream | Buffer;
  contentType?: string;
}

export interface MailMessage {
  /** One plain address; anything else is refused with BAD_USER_INPUT on field `to`. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  messageId: string;
  /** The `.eml` file, when written to the outbox. */
  location?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  close(): Promise<void>;
}

/** Where e-mails are written while no SMTP server is configured. */
export function mailOutboxDir(dataDir: string): string {
  return join(dataDir, 'outbox');
}

/** Sends through SMTP when `smtpUrl` is given, otherwise writes each message as an `.eml` file into `outboxDir`. */
export function createMailer(options: MailerOptions): Mailer {
  const sender = /<([^<>]+)>\s*$/.exec(options.from)?.[1] ?? options.from;
  if (!isEmailAddress(sender.trim())) throw new Error(`Mail sender "${options.from}" is not an e-mail address`);
  return options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : outboxMailer(options.outboxDir, options.from);
}

function smtpMailer(smtpUrl: string, from: string): Mailer {
  const protocol = URL.canParse(smtpUrl) ? new URL(smtpUrl).protocol : '';
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error('Mail smtpUrl must be an smtp:// or smtps:// URL');
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      const info = await transport.sendMail(mailOptions(from, message));
      return { messageId: info.messageId };
    },
    async close() {
      transport.close();
    },
  };
}

function outboxMailer(outboxDir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: false, newline: 'windows' });
  let ready: Promise<unknown> | undefined;
  return {
    async send(message) {
      const mail = mailOptions(from, message);
      ready ??= mkdir(outboxDir, { recursive: true });
      await ready;
      const info = await transport.sendMail(mail);
      const location = join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`);
      const source = Buffer.isBuffer(info.message) ? Readable.from([info.message]) : info.message;
      try {
        await pipeline(source, createWriteStream(location, { flags: 'wx' }));
      } catch (error) {
        await rm(location, { force: true });
        throw error;
      }
      return { messageId: info.messageId, location };
    },
    async close() {
      transport.close();
    },
  };
}

function mailOptions(from: string, message: MailMessage): Mail.Options {
  if (!isEmailAddress(message.to)) throw new BadUserInputError('to', `"${message.to}" is not an e-mail address`);
  return {
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: (message.attachments ?? []).map((attachment) => {
      if ((attachment.path === undefined) === (attachment.content === undefined)) {
        throw new Error(`Attachment "${attachment.filename}" needs exactly one of path and content`);
      }
      const { content } = attachment;
      return {
        filename: attachment.filename,
        path: attachment.path,
        content: content === undefined || Buffer.isBuffer(content) || content instanceof Readable ? content : new Readable().wrap(content),
        contentType: attachment.contentType,
      };
    }),
  };
}
