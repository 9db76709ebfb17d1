import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { smsText } from '../delivery/sms.texts';
import { recordAction } from '../actions/action-recorder';
import type { Context, Language } from '../graphql/context';
import { BadUserInputError, DomainError, ErrorCode } from '../graphql/errors';
import { requireAdministrator } from './access';
import { parseBin, parseEmail, parseName, parsePhone } from './auth.validation';
import { checkNewPassword, hashPassword, verifyAgainstDummy, verifyPassword, type PasswordContext } from './password';
import { RateLimitedError, rateLimits } from './rate-limit';
import { sessions } from './session';
import { newToken, tokenHash } from './token';

export const LOGIN_LIMITS = {
  perPhone: { max: 5, windowSeconds: 15 * 60 },
  perAddress: { max: 20, windowSeconds: 15 * 60 },
};
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

interface RecoveryRow {
  id: string;
  codeHash: Buffer;
  codeExpired: boolean;
  resendIn: number;
  verifiedAt: Date | null;
}

export interface RecoveryChallenge {
  resendAvailableAt: Date;
  codeExpiresAt: Date;
}

const ADMINISTRATOR = `SELECT id, name, phone, email, password_hash AS "passwordHash", language FROM cabinet.administrators`;

const codeHash = (recoveryId: string, code: string) => createHash('sha256').update(`${recoveryId}:${code}`).digest();


function passwordProblem(password: string, repeat: string, identity: PasswordContext): void {
  const problem = checkNewPassword(password, repeat, identity);
  if (!problem) return;
  const error = new BadUserInputError(problem.code === 'MISMATCH' ? 'repeat' : 'password', problem.message);
  Object.assign(error.extra, { reason: problem.code });
  throw error;
}

async function administratorByPhone(ctx: Context, phone: string): Promise<AdministratorRow | undefined> {
  const [row] = await ctx.db.query<AdministratorRow>(`${ADMINISTRATOR} WHERE phone = $1`, [phone]);
  return row;
}

async function signIn(ctx: Context, administrator: AdministratorRow): Promise<void> {
  const sessionId = await sessions.start(ctx, administrator.id);
  const grants = await ctx.db.query<{ companyId: number }>(
    `SELECT company_id AS "companyId" FROM cabinet.grants WHERE administrator_id = $1`,
    [administrator.id],
  );
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
    const phoneLimit = { key: `login:phone:${phone}`, ...LOGIN_LIMITS.perPhone };
    const addressLimit = { key: `login:address:${ctx.http.clientAddress}`, ...LOGIN_LIMITS.perAddress };
    const wait = Math.max(await rateLimits.blockedFor(ctx.db, phoneLimit), await rateLimits.blockedFor(ctx.db, addressLimit));
    if (wait > 0) throw new RateLimitedError(`Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} min.`, wait);

    const administrator = await administratorByPhone(ctx, phone);
    if (administrator && administrator.passwordHash === null) {
      await recordAction(ctx, { action: 'LOGIN', status: 'FAILURE', phone, details: { reason: 'PASSWORD_NOT_SET' } });
      throw new DomainError(ErrorCode.PASSWORD_NOT_SET, 'Set your password first: use “Forgot password?” to receive a code by SMS');
    }
    const ok = administrator ? await verifyPassword(administrator.passwordHash!, password) : await verifyAgainstDummy(password);
    if (!administrator || !ok) {
      await rateLimits.hit(ctx.db, phoneLimit);
      await rateLimits.hit(ctx.db, addressLimit);
      await recordAction(ctx, { action: 'LOGIN', status: 'FAILURE', phone });
      throw new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Wrong phone number or password');
    }
    await rateLimits.reset(ctx.db, phoneLimit.key);
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
    const administrator = await administratorByPhone(ctx, phone);
    const [open] = administrator
      ? await ctx.db.query<RecoveryRow>(
          `SELECT id::text, ceil(extract(epoch FROM last_sent_at + make_interval(secs => $2) - now()))::int AS "resendIn"
           FROM cabinet.recoveries WHERE administrator_id = $1 AND finished_at IS NULL AND voided_at IS NULL
             AND created_at > now() - interval '1 hour' ORDER BY id DESC LIMIT 1`,
          [administrator.id, RECOVERY.resendAfterSeconds],
        )
      : [];
    if (open && open.resendIn > 0) {
      throw new RateLimitedError(`A code was just sent. You can ask for another in ${open.resendIn} s.`, open.resendIn);
    }
    const sendLimit = { key: `recovery:phone:${phone}`, max: RECOVERY.sendsPerPhonePerHour, windowSeconds: 3600 };
    const wait = await rateLimits.blockedFor(ctx.db, sendLimit);
    if (wait > 0) throw new RateLimitedError(`Too many codes were sent to this number. Try again in ${Math.ceil(wait / 60)} min.`, wait);
    await rateLimits.hit(ctx.db, sendLimit);

    const now = Date.now();
    const challenge = {
      resendAvailableAt: new Date(now + RECOVERY.resendAfterSeconds * 1000),
      codeExpiresAt: new Date(now + RECOVERY.codeValidSeconds * 1000),
    };
    if (!administrator) {
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_START', status: 'FAILURE', phone });
      return challenge;
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const recoveryId = open
      ? open.id
      : (
          await ctx.db.query<{ id: string }>(
            `INSERT INTO cabinet.recoveries (administrator_id, code_hash, code_expires_at, last_sent_at, sends)
             VALUES ($1, '\\x', now(), now(), 0) RETURNING id::text`,
            [administrator.id],
          )
        )[0].id;
    // Resends keep failed_attempts: a new code does not buy new guesses.
    await ctx.db.query(
      `UPDATE cabinet.recoveries SET code_hash = $2, code_expires_at = now() + make_interval(secs => $3), last_sent_at = now(),
         sends = sends + 1, verified_at = NULL, completion_hash = NULL WHERE id = $1`,
      [recoveryId, codeHash(recoveryId, code), RECOVERY.codeValidSeconds],
    );
    await ctx.ports.sms.send({ to: phone, text: smsText('RECOVERY_CODE', code, administrator.language), purpose: 'RECOVERY_CODE' });
    await recordAction(ctx, { action: 'PASSWORD_RECOVERY_START', status: 'SUCCESS', phone });
    return challenge;
  },

  /** Checks the SMS code; on success returns a one-time token that lets the caller set a new password. */
  async verifyRecoveryCode(ctx: Context, phoneInput: string, code: string): Promise<{ recoveryToken: string; expiresAt: Date }> {
    const phone = parsePhone(phoneInput);
    if (!/^\d{6}$/.test(code)) throw new BadUserInputError('code', 'The code is the 6 digits from the SMS');
    const administrator = await administratorByPhone(ctx, phone);
    const [recovery] = administrator
      ? await ctx.db.query<RecoveryRow>(
          `SELECT id::text, code_hash AS "codeHash", code_expires_at <= now() AS "codeExpired", verified_at AS "verifiedAt"
           FROM cabinet.recoveries WHERE administrator_id = $1 AND finished_at IS NULL AND voided_at IS NULL
           ORDER BY id DESC LIMIT 1`,
          [administrator.id],
        )
      : [];
    const invalid = (attemptsLeft: number) =>
      new DomainError(ErrorCode.INVALID_RECOVERY_CODE, 'The code is wrong or no longer valid. Ask for a new code.', { attemptsLeft });
    if (!recovery || recovery.codeExpired || recovery.verifiedAt !== null) {
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_CODE', status: 'FAILURE', phone });
      throw invalid(0);
    }
    if (!timingSafeEqual(recovery.codeHash, codeHash(recovery.id, code))) {
      // One atomic statement, so that parallel guesses cannot share an attempt.
      const [row] = await ctx.db.query<{ failedAttempts: number }>(
        `UPDATE cabinet.recoveries SET failed_attempts = failed_attempts + 1,
           voided_at = CASE WHEN failed_attempts + 1 >= $2 THEN now() END
         WHERE id = $1 AND voided_at IS NULL RETURNING failed_attempts AS "failedAttempts"`,
        [recovery.id, RECOVERY.maxFailedAttempts],
      );
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_CODE', status: 'FAILURE', phone });
      throw invalid(Math.max(0, RECOVERY.maxFailedAttempts - (row?.failedAttempts ?? RECOVERY.maxFailedAttempts)));
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
    passwordProblem(password, repeat, administrator);
    const hash = await hashPassword(password);
    await ctx.transaction(async () => {
      const finished = await ctx.db.query(
        `UPDATE cabinet.recoveries SET finished_at = now() WHERE id = $1 AND finished_at IS NULL AND voided_at IS NULL RETURNING id`,
        [recovery.id],
      );
      if (finished.length === 0) throw expired();
      await ctx.db.query(`UPDATE cabinet.administrators SET password_hash = $2, password_changed_at = now() WHERE id = $1`, [
        administrator.id,
        hash,
      ]);
      await sessions.endAll(ctx, administrator.id);
      await signIn(ctx, administrator);
      await recordAction(ctx, { action: 'PASSWORD_RECOVERY_COMPLETE', status: 'SUCCESS' });
    });
    return administrator.id;
  },

  async requestRegistration(ctx: Context, input: { bin: string; name: string; phone: string; email: string }): Promise<number> {
    const request = {
      bin: parseBin(input.bin),
      name: parseName(input.name, 'name', 200),
      phone: parsePhone(input.phone),
      email: parseEmail(input.email),
    };
    const limit = { key: `registration:address:${ctx.http.clientAddress}`, max: 10, windowSeconds: 3600 };
    const wait = await rateLimits.blockedFor(ctx.db, limit);
    if (wait > 0) throw new RateLimitedError('Too many registration requests from this address. Try again later.', wait);
    await rateLimits.hit(ctx.db, limit);
    const [row] = await ctx.db.query<{ id: number }>(
      `INSERT INTO cabinet.registration_requests (bin, name, phone, email, client_address) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [request.bin, request.name, request.phone, request.email, ctx.http.clientAddress],
    );
    return row.id;
  },

  /** Password change from the profile: the current password is required; every session ends but this one. */
  async changePassword(ctx: Context, current: string, password: string, repeat: string): Promise<void> {
    const principal = requireAdministrator(ctx);
    const [administrator] = await ctx.db.query<AdministratorRow>(`${ADMINISTRATOR} WHERE id = $1`, [principal.administratorId]);
    if (!administrator.passwordHash || !(await verifyPassword(administrator.passwordHash, current))) {
      await recordAction(ctx, { action: 'CHANGE_PASSWORD', status: 'FAILURE' });
      throw new BadUserInputError('currentPassword', 'The current password is wrong');
    }
    passwordProblem(password, repeat, administrator);
    const hash = await hashPassword(password);
    await ctx.transaction(async () => {
      await ctx.db.query(`UPDATE cabinet.administrators SET password_hash = $2, password_changed_at = now() WHERE id = $1`, [
        administrator.id,
        hash,
      ]);
      await sessions.endAll(ctx, administrator.id);
      await signIn(ctx, administrator);
      await recordAction(ctx, { action: 'CHANGE_PASSWORD', status: 'SUCCESS' });
    });
  },

  async changeEmail(ctx: Context, current: string, emailInput: string): Promise<void> {
    const principal = requireAdministrator(ctx);
    const email = parseEmail(emailInput);
    const [administrator] = await ctx.db.query<AdministratorRow>(`${ADMINISTRATOR} WHERE id = $1`, [principal.administratorId]);
    if (!administrator.passwordHash || !(await verifyPassword(administrator.passwordHash, current))) {
      await recordAction(ctx, { action: 'CHANGE_EMAIL', status: 'FAILURE' });
      throw new BadUserInputError('currentPassword', 'The current password is wrong');
    }
    await ctx.db.query(`UPDATE cabinet.administrators SET email = $2 WHERE id = $1`, [administrator.id, email]);
    await recordAction(ctx, { action: 'CHANGE_EMAIL', status: 'SUCCESS' });
  },
};

