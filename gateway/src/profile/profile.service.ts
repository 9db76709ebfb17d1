import { recordAction } from '../core/action-recorder';
import { requireAdministrator, requireCompany } from '../core/access';
import { sessions } from '../core/session';
import type { Context } from '../core/context';
import type { Language } from '../core/language';
import { BadUserInputError, NotFoundError } from '../core/errors';
import { fromGlobalId, toGlobalId } from '../core/ids';
import type { AdministratorType, LanguageCode, SessionType } from './profile.type';

interface AdministratorRow {
  id: number;
  name: string;
  phone: string;
  email: string;
  language: Language;
}

export const profileService = {
  async administrator(ctx: Context, id: number): Promise<AdministratorType> {
    const [row] = await ctx.db.query<AdministratorRow>(`SELECT id, name, phone, email, language FROM cabinet.administrators WHERE id = $1`, [id]);
    if (!row) throw new NotFoundError('Administrator');
    return {
      id: toGlobalId('Administrator', row.id),
      dbId: row.id,
      name: row.name,
      phone: row.phone,
      email: row.email,
      language: row.language as LanguageCode,
    };
  },

  /** The signed-in administrator, or null for anyone else (the UI asks this to know whether to show the log-in screen). */
  async me(ctx: Context): Promise<AdministratorType | null> {
    if (ctx.principal.kind !== 'administrator') return null;
    return this.administrator(ctx, ctx.principal.administratorId);
  },

  async setLanguage(ctx: Context, language: Language): Promise<AdministratorType> {
    const principal = requireAdministrator(ctx);
    await ctx.db.query(`UPDATE cabinet.administrators SET language = $2 WHERE id = $1`, [principal.administratorId, language]);
    await sessions.changed(ctx, principal.administratorId);
    ctx.language = language;
    return this.administrator(ctx, principal.administratorId);
  },

  /** A short name of a company seen only by this administrator; empty or null removes it. */
  async setCompanyShortName(ctx: Context, companyId: number, shortName: string | null | undefined): Promise<void> {
    const principal = requireAdministrator(ctx);
    requireCompany(ctx, companyId);
    const name = shortName?.trim().replace(/\s+/g, ' ') || null;
    if (name !== null && name.length > 100) throw new BadUserInputError('shortName', 'shortName must be at most 100 characters');
    await ctx.db.query(`UPDATE cabinet.grants SET short_name = $3 WHERE administrator_id = $1 AND company_id = $2`, [
      principal.administratorId,
      companyId,
      name,
    ]);
    await recordAction(ctx, { action: 'SET_COMPANY_SHORT_NAME', status: 'SUCCESS', companyId, details: { shortName: name ?? '' } });
  },

  /** The signed-in administrator's live sessions; the current one is marked. */
  async sessions(ctx: Context): Promise<SessionType[]> {
    const principal = requireAdministrator(ctx);
    const rows = await sessions.list(ctx, principal.administratorId);
    return rows.map((row) => ({ ...row, id: toGlobalId('Session', row.id), current: row.id === principal.sessionId }));
  },

  /** Ends one of the administrator's other sessions; NOT_FOUND for a session that is not theirs or already ended. */
  async endSession(ctx: Context, sessionGlobalId: string): Promise<boolean> {
    const principal = requireAdministrator(ctx);
    const id = String(fromGlobalId('Session', sessionGlobalId, 'sessionId'));
    if (id === principal.sessionId) throw new BadUserInputError('sessionId', 'This is the current session: use logout to end it');
    await ctx.transaction(async () => {
      if (!(await sessions.endOne(ctx, principal.administratorId, id))) throw new NotFoundError('Session');
      await recordAction(ctx, { action: 'END_SESSION', status: 'SUCCESS' });
    });
    return true;
  },

  /** "Sign out everywhere else": every session but the current one ends; returns how many ended. */
  async endOtherSessions(ctx: Context): Promise<number> {
    const principal = requireAdministrator(ctx);
    return ctx.transaction(async () => {
      const ended = await sessions.endOthers(ctx, principal.administratorId, principal.sessionId);
      await recordAction(ctx, { action: 'END_OTHER_SESSIONS', status: 'SUCCESS', details: { count: String(ended) } });
      return ended;
    });
  },
};
