import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { smsText } from '../delivery';
import { recordAction } from '../core/action-recorder';
import { limitedAddress } from '../core/address';
import type { Context } from '../core/context';
import type { Language } from '../core/language';
import { BadUserInputError, DomainError, ErrorCode } from '../core/errors';
import { requireAdministrator } from '../core/access';
import { parseEmail, parseName, parseNewBin, parsePhone } from '../core/validation';
import { checkNewPassword, problem as passwordProblemOf, hashPassword, verifyAgainstDummy, verifyPassword, type PasswordContext } from './password';
import { RateLimitedError, rateLimits } from '../core/rate-limit';
import { sessions } from '../core/session';
import { newToken, serverSecret, tokenHash } from '../core/token';

/**
 * Sign-in guesses are slowed, never locked out: per phone and address, and per phone from anywhere, a few
 * attempts are free and each further one waits twice as long as the last. An address that fails more than
 * `perAddress.max` times in the window is refused. A phone that signed in from an address before (by password or
 * by a completed recovery, within `knownAddressDays`) is held there by neither the address cap nor the phone-wide
 * delay: only by its own phone and address throttle. So is a browser the phone's administrator signed in with in
 * that time, from any address: its device cookie (OWASP's device cookies) names it.
 */
export const LOGIN_LIMITS = {
  perPhoneAndAddress: { freeAttempts: 5, maxDelaySeconds: 15 * 60, forgetAfterSeconds: 24 * 3600 },
  perPhone: { freeAttempts: 10, maxDelaySeconds: 5 * 60, forgetAfterSeconds: 24 * 3600 },
  perAddress: { max: 100, windowSeconds: 15 * 60 },
  knownAddressDays: 90,
};
/** Wrong current passwords accepted per administrator before a profile change is refused for the window. */
export const CURRENT_PASSWORD_LIMIT = { max: 5, windowSeconds: 15 * 60 };
export const REGISTRATION_LIMIT = { max: 10, windowSeconds: 3600 };
export const RECOVERY = {
  codeValidSeconds: 10 * 60,
  resendAfterSeconds: 60,
  maxFailedAttempts: 5,
  sendsPerPhonePerHour: 5,
  completionValidSeconds: 10 * 60,
};

interface AdministratorRow {
  id: number;
  name: string;
  phone: string;
  email: string;
  passwordHash: string | null;
  language: Language;
}

export interface RecoveryChallenge {
  resendAvailableAt: Date;
  codeExpiresAt: Date;
}

const ADMINISTRATOR = `SELECT id, name, phone, email, password_hash AS "passwordHash", language FROM cabinet.administrators`;

/** The browser's own random token, kept for `knownAddressDays`; the database holds its hash with whoever signed in through it. */
export const DEVICE_COOKIE = 'cabinet_device';
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const RECOVERY_SECRET = 'recovery-code';

// An HMAC with a key kept apart from the row, so that a leaked row cannot be tried against all million codes.
const codeHash = async (ctx: Context, recoveryId: string, code: string) =>
  createHmac('sha256', await serverSecret(ctx.db, RECOVERY_SECRET))
    .update(`${recoveryId}:${code}`)
    .digest();

async function passwordProblem(password: string, repeat: string, administrator: PasswordContext & { passwordHash: string | null }): Promise<void> {
  let problem = checkNewPassword(password, repeat, administrator);
  if (!problem && administrator.passwordHash && (await verifyPassword(administrator.passwordHash, password))) {
    problem = passwordProblemOf('SAME_AS_CURRENT');
  }
  if (!problem) return;
  const error = new BadUserInputError(problem.code === 'MISMATCH' ? 'repeat' : 'password', problem.message);
  Object.assign(error.extra, { reason: problem.code });
  throw error;
}

/** The administrator with the phone; one the operator removed is no one's, so every anonymous answer treats the phone as unknown. */
async function administratorByPhone(ctx: Context, phone: string): Promise<AdministratorRow | undefined> {
  const [row] = await ctx.db.query<AdministratorRow>(`${ADMINISTRATOR} WHERE phone = $1 AND removed_at IS NULL`, [phone]);
  return row;
}

/** Which recoveries are the phone's: its administrator's, or those kept for the phone when it is no administrator's. */
function recoveryOwner(administrator: AdministratorRow | undefined, phone: string): { where: string; params: unknown[] } {
  return administrator ? { where: 'administrator_id = $1', params: [administrator.id] } : { where: 'administrator_id IS NULL AND phone = $1', params: [phone] };
}

async function signedInFrom(ctx: Context, phone: string, address: string): Promise<boolean> {
  const rows = await ctx.db.query(
    `SELECT 1 FROM cabinet.action_log WHERE administrator_id = (SELECT id FROM cabinet.administrators WHERE phone = $1)
       AND action IN ('LOGIN', 'PASSWORD_RECOVERY_COMPLETE') AND status = 'SUCCESS' AND client_address = $2::inet AND created_at > now() - make_interval(days => $3) LIMIT 1`,
    [phone, address, LOGIN_LIMITS.knownAddressDays],
  );
  return rows.length > 0;
}

/** Whether this browser's device cookie is one the phone's administrator signed in with within `knownAddressDays`. */
async function trustedDevice(ctx: Context, phone: string): Promise<boolean> {
  const token = ctx.http.cookie(DEVICE_COOKIE);
  if (!token || !DEVICE_TOKEN.test(token)) return false;
  const rows = await ctx.db.query(
    `SELECT 1 FROM cabinet.trusted_devices d JOIN cabinet.administrators a ON a.id = d.administrator_id
     WHERE d.token_hash = $1 AND a.phone = $2 AND a.removed_at IS NULL AND d.signed_in_at > now() - make_interval(days => $3)`,
    [tokenHash(token), phone, LOGIN_LIMITS.knownAddressDays],
  );
  return rows.length > 0;
}

/** Marks the browser as one the administrator signed in with (its cookie made on its first sign-in, renewed on each). */
async function trustDevice(ctx: Context, administratorId: number): Promise<void> {
  const given = ctx.http.cookie(DEVICE_COOKIE);
  const token = given && DEVICE_TOKEN.test(given) ? given : newToken();
  await ctx.db.query(
    `INSERT INTO cabinet.trusted_devices (token_hash, administrator_id) VALUES ($1, $2)
     ON CONFLICT (token_hash, administrator_id) DO UPDATE SET signed_in_at = now()`,
    [tokenHash(token), administratorId],
  );
  ctx.http.setCookie(DEVICE_COOKIE, token, LOGIN_LIMITS.knownAddressDays * 24 * 3600);
}

/** A new password: the browsers that knew the old one are trusted no longer (the one setting it is trusted again). */
async function forgetDevices(ctx: Context, administratorId: number): Promise<void> {
  await ctx.db.query(`DELETE FROM cabinet.trusted_devices WHERE administrator_id = $1`, [administratorId]);
}

async function checkCurrentPassword(ctx: Context, administrator: AdministratorRow, current: string, action: 'CHANGE_PASSWORD' | 'CHANGE_EMAIL') {
  const key = `current-password:${administrator.id}`;
  const wait = await rateLimits.consume(ctx.db, { key, ...CURRENT_PASSWORD_LIMIT });
  if (wait > 0) throw new RateLimitedError(`Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} min.`, wait);
  if (!administrator.passwordHash || !(await verifyPassword(administrator.passwordHash, current))) {
    await recordAction(ctx, { action, status: 'FAILURE' });
    throw new BadUserInputError('currentPassword', 'The current password is wrong');
  }
  await rateLimits.refund(ctx.db, key);
}

async function signIn(ctx: Context, administrator: AdministratorRow): Promise<void> {
  const sessionId = await sessions.start(ctx, administrator.id);
  const grants = await ctx.db.query<{ companyId: number }>(`SELECT company_id AS "companyId" FROM cabinet.grants WHERE administrator_id = $1`, [
    administrator.id,
  ]);
  await trustDevice(ctx, administrator.id);
  ctx.principal = {
    kind: 'administrator',
    administratorId: administrator.id,
    sessionId,
    name: administrator.name,
    phone: administrator.phone,
    language: administrator.language,
    companyIds: new Set(grants.map((g) => g.companyId)),
  };
}

export const authService = {
  async login(ctx: Context, phoneInput: string, password: string): Promise<number> {
    const phone = parsePhone(phoneInput);
    if (password.length === 0 || password.length > 1024) throw new BadUserInputError('password', 'Enter your password');
    const address = ctx.http.clientAddress;
    const addressKey = `login:address:${limitedAddress(address)}`;
    const pairKey = `login:phone-address:${phone}:${limitedAddress(address)}`;
    const phoneKey = `login:phone:${phone}`;
    const refuse = (wait: number) => new RateLimitedError(`Too many failed sign-ins. Try again in ${wait} s.`, wait);

    let known: boolean | undefined;
    const knownClient = async () => (known ??= (await trustedDevice(ctx, phone)) || (await signedInFrom(ctx, phone, address)));
    const addressWait = await rateLimits.consume(ctx.db, { key: addressKey, ...LOGIN_LIMITS.perAddress });
    if (addressWait > 0 && !(await knownClient())) throw refuse(addressWait);
    const pairWait = await rateLimits.claim(ctx.db, { key: pairKey, ...LOGIN_LIMITS.perPhoneAndAddress });
    if (pairWait > 0) throw refuse(pairWait);
    // Guesses from everywhere slow the phone down, but not its owner at an address they signed in from before:
    // there the phone and address throttle alone holds.
    const phoneWait = await rateLimits.claim(ctx.db, { key: phoneKey, ...LOGIN_LIMITS.perPhone });
    if (phoneWait > 0 && !(await knownClient())) throw refuse(phoneWait);

    const administrator = await administratorByPhone(ctx, phone);
    // An administrator who never set a password is answered like a wrong password, so that phones cannot be told apart.
    const ok = administrator?.passwordHash ? await verifyPassword(administrator.passwordHash, password) : await verifyAgainstDummy(password);
    if (!administrator || !ok) {
      const details = administrator && administrator.passwordHash === null ? { reason: 'PASSWORD_NOT_SET' } : undefined;
      await recordAction(ctx, { action: 'LOGIN', status: 'FAILURE', phone, details });
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Wrong phone number or password');
    }
    await rateLimits.clear(ctx.db, pairKey);
    await rateLimits.clear(ctx.db, phoneKey);
    await rateLimits.refund(ctx.db, addressKey);
    await signIn(ctx, administrator);
    await recordAction(ctx, { action: 'LOGIN', status: 'SUCCESS' });
    return administrator.id;
  },

  async logout(ctx: Context): Promise<boolean> {
    const principal = requireAdministrator(ctx);
    await recordAction(ctx, { action: 'LOGOUT', status: 'SUCCESS' });
    await sessions.end(ctx, principal.sessionId);
    return true;
  },

  /** Sends a recovery code by SMS. Answers the same for unknown phones, so that it cannot be used to find administrators. */
  async startRecovery(ctx: Context, phoneInput: string): Promise<RecoveryChallenge> {
    const phone = parsePhone(phoneInput);
    // Counted per phone whether or not it is an administrator's, so that the answers cannot tell them apart.
    const resendWait = await rateLimits.consume(ctx.db, { key: `recovery:resend:${phone}`, max: 1, windowSeconds: RECOVERY.resendAfterSeconds });
    if (resendWait > 0) throw new RateLimitedError(`A code was just sent. You can ask for another in ${resendWait} s.`, resendWait);
    const sendLimit = { key: `recovery:phone:${phone}`, max: RECOVERY.sendsPerPhonePerHour, windowSeconds: 3600 };
    const wait = await rateLimits.consume(ctx.db, sendLimit);
    if (wait > 0) throw new RateLimitedError(`Too many codes were sent to this number. Try again in ${Math.ceil(wait / 60)} min.`, wait);

    const administrator = await administratorByPhone(ctx, phone);
    const owner = recoveryOwner(administrator, phone);
    const [open] = await ctx.db.query<{ id: string }>(
      `SELECT id::text FROM cabinet.recoveries WHERE ${owner.where} AND finished_at IS NULL AND voided_at IS NULL
         AND created_at > now() - interval '1 hour' ORDER BY id DESC LIMIT 1`,
      owner.params,
    );
    const now = Date.now();
    const challenge = {
      resendAvailableAt: new Date(now + RECOVERY.resendAfterSeconds * 1000),
      codeExpiresAt: new Date(now + RECOVERY.codeValidSeconds * 1000),
    };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const recoveryId = open
      ? open.id
      : (
          await ctx.db.query<{ id: string }>(
            `INSERT INTO cabinet.recoveries (administrator_id, phone, code_hash, code_expires_at, last_sent_at, sends)
             VALUES ($1, $2, '\\x', now(), now(), 0) RETURNING id::text`,
            [administrator?.id ?? null, administrator ? null : phone],
          )
        )[0].id;
    // Resends keep failed_attempts: a new code does not buy new guesses. A phone that is no administrator's gets a
    // recovery too, counted alike, whose hash (random bytes) matches no code.
    await ctx.db.query(
      `UPDATE cabinet.recoveries SET code_hash = $2, code_expires_at = now() + make_interval(secs => $3), last_sent_at = now(),
         sends = sends + 1, verified_at = NULL, completion_hash = NULL WHERE id = $1`,
      [recoveryId, administrator ? await codeHash(ctx, recoveryId, code) : randomBytes(32), RECOVERY.codeValidSeconds],
    );
    if (!administrator) {
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_START', status: 'FAILURE', phone });
      return challenge;
    }
    await ctx.ports.sms.send({ to: phone, text: smsText('RECOVERY_CODE', code, administrator.language), purpose: 'RECOVERY_CODE' });
    await recordAction(ctx, { action: 'PASSWORD_RECOVERY_START', status: 'SUCCESS', phone });
    return challenge;
  },

  /** Checks the SMS code; on success returns a one-time token that lets the caller set a new password. */
  async verifyRecoveryCode(ctx: Context, phoneInput: string, code: string): Promise<{ recoveryToken: string; expiresAt: Date }> {
    const phone = parsePhone(phoneInput);
    if (!/^\d{6}$/.test(code)) throw new BadUserInputError('code', 'The code is the 6 digits from the SMS');
    const administrator = await administratorByPhone(ctx, phone);
    // Every attempt is counted before the code is compared, in one statement, so that parallel guesses cannot exceed the limit.
    // A phone that is no administrator's has its own recovery, so that its answers are the same as a known phone's.
    const owner = recoveryOwner(administrator, phone);
    const [recovery] = await ctx.db.query<{ id: string; codeHash: Buffer; attempts: number }>(
      `UPDATE cabinet.recoveries SET failed_attempts = failed_attempts + 1
       WHERE id = (SELECT id FROM cabinet.recoveries WHERE ${owner.where} AND finished_at IS NULL AND voided_at IS NULL
                   ORDER BY id DESC LIMIT 1)
         AND failed_attempts < $${owner.params.length + 1} AND verified_at IS NULL AND code_expires_at > now()
       RETURNING id::text, code_hash AS "codeHash", failed_attempts AS attempts`,
      [...owner.params, RECOVERY.maxFailedAttempts],
    );
    const invalid = (attemptsLeft: number) =>
      new DomainError(ErrorCode.INVALID_RECOVERY_CODE, 'The code is wrong or no longer valid. Ask for a new code.', { attemptsLeft });
    if (!recovery) {
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_CODE', status: 'FAILURE', phone });
      throw invalid(0);
    }
    if (!timingSafeEqual(recovery.codeHash.length === 32 ? recovery.codeHash : Buffer.alloc(32), await codeHash(ctx, recovery.id, code))) {
      if (recovery.attempts >= RECOVERY.maxFailedAttempts) {
        await ctx.db.query(`UPDATE cabinet.recoveries SET voided_at = now() WHERE id = $1 AND voided_at IS NULL`, [recovery.id]);
      }
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_CODE', status: 'FAILURE', phone });
      throw invalid(RECOVERY.maxFailedAttempts - recovery.attempts);
    }
    const recoveryToken = newToken();
    const [row] = await ctx.db.query<{ expiresAt: Date }>(
      `UPDATE cabinet.recoveries SET verified_at = now(), completion_hash = $2,
         completion_expires_at = now() + make_interval(secs => $3)
       WHERE id = $1 AND verified_at IS NULL AND voided_at IS NULL AND code_expires_at > now()
       RETURNING completion_expires_at AS "expiresAt"`,
      [recovery.id, tokenHash(recoveryToken), RECOVERY.completionValidSeconds],
    );
    if (!row) throw invalid(0);
    await recordAction(ctx, { action: 'PASSWORD_RECOVERY_CODE', status: 'SUCCESS', phone });
    return { recoveryToken, expiresAt: row.expiresAt };
  },

  /** Sets the new password, ends every other session, and signs the administrator in. */
  async completeRecovery(ctx: Context, recoveryToken: string, password: string, repeat: string): Promise<number> {
    const expired = () => new DomainError(ErrorCode.RECOVERY_EXPIRED, 'This recovery has expired. Start again with your phone number.');
    const [recovery] = await ctx.db.query<{ id: string; administratorId: number }>(
      `SELECT id::text, administrator_id AS "administratorId" FROM cabinet.recoveries
       WHERE completion_hash = $1 AND finished_at IS NULL AND voided_at IS NULL AND completion_expires_at > now()`,
      [tokenHash(recoveryToken)],
    );
    if (!recovery) throw expired();
    const [administrator] = await ctx.db.query<AdministratorRow>(`${ADMINISTRATOR} WHERE id = $1`, [recovery.administratorId]);
    await passwordProblem(password, repeat, administrator);
    const hash = await hashPassword(password);
    await ctx.transaction(async () => {
      const finished = await ctx.db.query(
        `UPDATE cabinet.recoveries SET finished_at = now() WHERE id = $1 AND finished_at IS NULL AND voided_at IS NULL RETURNING id`,
        [recovery.id],
      );
      if (finished.length === 0) throw expired();
      await ctx.db.query(`UPDATE cabinet.administrators SET password_hash = $2, password_changed_at = now() WHERE id = $1`, [administrator.id, hash]);
      await sessions.endAll(ctx, administrator.id);
      await forgetDevices(ctx, administrator.id);
      await signIn(ctx, administrator);
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_COMPLETE', status: 'SUCCESS' });
    });
    return administrator.id;
  },

  async requestRegistration(ctx: Context, input: { bin: string; name: string; phone: string; email: string }): Promise<number> {
    const request = {
      bin: parseNewBin(input.bin),
      name: parseName(input.name, 'name', 200),
      phone: parsePhone(input.phone),
      email: parseEmail(input.email),
    };
    const wait = await rateLimits.consume(ctx.db, { key: `registration:address:${limitedAddress(ctx.http.clientAddress)}`, ...REGISTRATION_LIMIT });
    if (wait > 0) throw new RateLimitedError('Too many registration requests from this address. Try again later.', wait);
    return ctx.transaction(async () => {
      // Serialises identical requests, so that two sent at once cannot both find no waiting one.
      await ctx.db.query(`SELECT pg_advisory_xact_lock(hashtext('registration:' || $1 || ':' || $2))`, [request.bin, request.phone]);
      const [waiting] = await ctx.db.query(
        `SELECT 1 FROM cabinet.registration_requests WHERE status = 'PENDING' AND bin = $1 AND phone = $2 AND lower(email) = lower($3)
           AND lower(name) = lower($4)`,
        [request.bin, request.phone, request.email, request.name],
      );
      if (waiting) {
        throw new DomainError(ErrorCode.REGISTRATION_PENDING, 'The same request is already waiting for the operator; you will be contacted.');
      }
      const [row] = await ctx.db.query<{ id: number }>(
        `INSERT INTO cabinet.registration_requests (bin, name, phone, email, client_address) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [request.bin, request.name, request.phone, request.email, ctx.http.clientAddress],
      );
      return row.id;
    });
  },

  /** Password change from the profile: the current password is required; every session ends but this one. */
  async changePassword(ctx: Context, current: string, password: string, repeat: string): Promise<void> {
    const principal = requireAdministrator(ctx);
    const [administrator] = await ctx.db.query<AdministratorRow>(`${ADMINISTRATOR} WHERE id = $1`, [principal.administratorId]);
    await checkCurrentPassword(ctx, administrator, current, 'CHANGE_PASSWORD');
    await passwordProblem(password, repeat, administrator);
    const hash = await hashPassword(password);
    // The other sessions end; this one goes on under a new token, so that its own sockets are not closed under the
    // page before it has the new cookie.
    await ctx.transaction(async () => {
      await ctx.db.query(`UPDATE cabinet.administrators SET password_hash = $2, password_changed_at = now() WHERE id = $1`, [administrator.id, hash]);
      await sessions.endOthers(ctx, administrator.id, principal.sessionId);
      await sessions.renew(ctx, administrator.id, principal.sessionId);
      await forgetDevices(ctx, administrator.id);
      await trustDevice(ctx, administrator.id);
      await recordAction(ctx, { action: 'CHANGE_PASSWORD', status: 'SUCCESS' });
    });
  },

  async changeEmail(ctx: Context, current: string, emailInput: string): Promise<void> {
    const principal = requireAdministrator(ctx);
    const email = parseEmail(emailInput);
    const [administrator] = await ctx.db.query<AdministratorRow>(`${ADMINISTRATOR} WHERE id = $1`, [principal.administratorId]);
    await checkCurrentPassword(ctx, administrator, current, 'CHANGE_EMAIL');
    await ctx.db.query(`UPDATE cabinet.administrators SET email = $2 WHERE id = $1`, [administrator.id, email]);
    await recordAction(ctx, { action: 'CHANGE_EMAIL', status: 'SUCCESS' });
  },
};
