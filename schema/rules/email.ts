// Deliberately narrower than RFC 5322: one ASCII mailbox, no display name, comments, quoting or address literals,
// so a customer-typed value cannot add recipients or headers, and every address the profile, registration and
// reports accept is one the mailer can send to. The gateway enforces it and the forms check it before sending.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The product's one e-mail rule. */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}
