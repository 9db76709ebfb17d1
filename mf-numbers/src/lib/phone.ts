import { formatPhone } from '@cabinet/kit';

/** A phone number as the kit writes it, with no-break spaces, for running text (toasts) where it must stay on one line. */
export const phoneInText = (msisdn: string) => formatPhone(msisdn).replace(/ /g, '\u00a0');
