import { BadUserInputError } from '../core/errors';

export const SMS_PURPOSES = ['RECOVERY_CODE', 'SECRET_CODE', 'SIM_REPLACEMENT_NOTICE', 'NOTICE'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

/** Ten UCS2 segments of 67 characters: the longest text the SMSC is asked to concatenate. */
export const SMS_MAX_LENGTH = 670;

export interface SmsMessage {
  /** A Kazakhstan number as `7XXXXXXXXXX`; anything else is refused with BAD_USER_INPUT on field `to`. */
  to: string;
  /** 1 to 670 characters; refused with BAD_USER_INPUT on field `text` otherwise. */
  text: string;
  purpose: SmsPurpose;
}

export interface SmsSender {
  /** Resolves with the id the channel gave the message (the outbox row id or the SMSC's message_id). */
  send(message: SmsMessage): Promise<{ id: string }>;
  close(): Promise<void>;
}

export interface SmsLog {
  info(obj: object, msg: string): void;
}

const PHONE = /^7\d{10}$/;

export function assertSmsMessage(message: SmsMessage): void {
  if (typeof message.to !== 'string' || !PHONE.test(message.to)) {
    throw new BadUserInputError('to', `"${String(message.to)}" is not a phone number of the form 7XXXXXXXXXX`);
  }
  if (typeof message.text !== 'string' || message.text.trim() === '') throw new BadUserInputError('text', 'SMS text is empty');
  if (message.text.length > SMS_MAX_LENGTH) {
    throw new BadUserInputError('text', `SMS text has ${message.text.length} characters, more than ${SMS_MAX_LENGTH}`);
  }
  if (!SMS_PURPOSES.includes(message.purpose)) throw new BadUserInputError('purpose', `"${String(message.purpose)}" is not an SMS purpose`);
}
