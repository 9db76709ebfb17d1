import { recordAction } from '../actions/action-recorder';
import { requireAdministrator, requireCompany } from '../auth/access';
import type { Context, Language } from '../graphql/context';
import { BadUserInputError, NotFoundError } from '../graphql/errors';
import { toGlobalId } from '../graphql/ids';
import type { AdministratorType, LanguageCode } from './profile.type';

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
    return { id: toGlobalId('Administrator', row.id), dbId: row.id, name: row.name, phone: row.phone, email: row.email, language: row.language as LanguageCode };
  },

  /** The signed-in administrator, or null for anyone else (the UI asks this to know whether to show the log-in screen). */
  async me(ctx: Context): Promise<AdministratorType | null> {
    if (ctx.principal.kind !== 'administrator') return null;
    return this.administrator(ctx, ctx.principal.administratorId);
  },

  async setLanguage(ctx: Context, language: Language): Promise<AdministratorType> {
    const principal = requireAdministrator(ctx);
    await ctx.db.query(`UPDATE cabinet.administrators SET language = $2 WHERE id = $1`, [principal.administratorId, language]);
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
};
