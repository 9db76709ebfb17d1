/**
 * The password policy the gateway enforces (gateway/src/auth/password.ts), mirrored for live feedback while the
 * administrator types. The list of common passwords is checked by the gateway only: its `COMMON` reason arrives
 * with the answer.
 */
export const PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;

export type PasswordRule = 'LENGTH' | 'NOT_IDENTITY' | 'REPEAT';
export type PasswordProblemCode = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON' | 'CONTAINS_IDENTITY' | 'MISMATCH';

/** Whose password it is; missing fields are skipped. */
export interface PasswordContext {
  phone?: string | null;
  email?: string | null;
  name?: string | null;
}

export interface PasswordCheck {
  /** Unicode code points after NFKC, as the gateway counts them. */
  length: number;
  /** Each rule the client can check, true when met. `REPEAT` is false while the repeat field is empty. */
  rules: Record<PasswordRule, boolean>;
  /** The first problem in the gateway's order, or null when the client sees none. */
  problem: Exclude<PasswordProblemCode, 'COMMON'> | null;
}

const NATIONAL_DIGITS = 10;
const MIN_PHONE_DIGITS = 6;

const normalize = (value: string) => value.normalize('NFKC');
const squeeze = (value: string) => normalize(value).toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');

/** The length the policy counts: code points after NFKC. */
export function passwordLength(password: string): number {
  return [...normalize(password)].length;
}

function containsIdentity(password: string, { phone, email, name }: PasswordContext): boolean {
  const squeezed = squeeze(password);
  const national = (phone ?? '').replace(/\D/gu, '').slice(-NATIONAL_DIGITS);
  if (national.length >= MIN_PHONE_DIGITS && squeezed.includes(national)) return true;
  const localPart = email?.includes('@') ? email.slice(0, email.lastIndexOf('@')) : undefined;
  const identities = [email, localPart, name].filter((value): value is string => typeof value === 'string').map(squeeze);
  return identities.some((identity) => identity.length > 0 && identity === squeezed);
}

/** Checks a new password and its repeat against every rule the client can see. */
export function checkPassword(password: string, repeat: string, context: PasswordContext = {}): PasswordCheck {
  const length = passwordLength(password);
  const rules: Record<PasswordRule, boolean> = {
    LENGTH: length >= PASSWORD_MIN && length <= PASSWORD_MAX,
    NOT_IDENTITY: password.length > 0 && !containsIdentity(password, context),
    REPEAT: repeat.length > 0 && normalize(repeat) === normalize(password),
  };
  let problem: PasswordCheck['problem'] = null;
  if (length < PASSWORD_MIN) problem = 'TOO_SHORT';
  else if (length > PASSWORD_MAX) problem = 'TOO_LONG';
  else if (!rules.NOT_IDENTITY) problem = 'CONTAINS_IDENTITY';
  else if (!rules.REPEAT) problem = 'MISMATCH';
  return { length, rules, problem };
}
