import { PASSWORD_MAX, PASSWORD_MIN, containsIdentity, normalizePassword as normalize, passwordLength, type PasswordContext } from '@cabinet/schema/rules';

/**
 * Live feedback on the password policy while the administrator types, with the gateway's own length and identity
 * rules (@cabinet/schema/rules). The list of common passwords is checked by the gateway only: its
 * `COMMON` reason arrives with the answer.
 */
export { PASSWORD_MAX, PASSWORD_MIN, passwordLength, type PasswordContext };

export type PasswordRule = 'LENGTH' | 'NOT_IDENTITY' | 'REPEAT';
export type PasswordProblemCode = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON' | 'CONTAINS_IDENTITY' | 'MISMATCH';

export interface PasswordCheck {
  /** Unicode code points after NFKC, as the gateway counts them. */
  length: number;
  /** Each rule the client can check, true when met. `REPEAT` is false while the repeat field is empty. */
  rules: Record<PasswordRule, boolean>;
  /** The first problem in the gateway's order, or null when the client sees none. */
  problem: Exclude<PasswordProblemCode, 'COMMON'> | null;
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
