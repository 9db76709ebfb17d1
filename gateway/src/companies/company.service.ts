import { isGranted, requireCompany, requirePrincipal } from '../core/access';
import { billing } from '../billing';
import type { Context } from '../core/context';
import { NotFoundError } from '../core/errors';
import { whenKnown } from '../core/loaders';
import { checkPageSize, decodeAfter, encodeCursor, toPage, type Page } from '../core/paging';
import { accountById } from '../billing';
import { branchesByParent, companyById } from './company.loader';
import { shortNamesByAdministrator } from './company.repository';
import { AccountType, CompanyType } from './company.type';

export const companyService = {
  /** The companies granted to the caller. */
  async list(ctx: Context): Promise<CompanyType[]> {
    const principal = requirePrincipal(ctx);
    return (await billing.listCompanies(ctx.db, [...principal.companyIds])).map(CompanyType.from);
  },

  async get(ctx: Context, id: number): Promise<CompanyType> {
    requireCompany(ctx, id);
    const row = await ctx.loader(companyById).load(id);
    if (!row) throw new NotFoundError('Company');
    return CompanyType.from(row);
  },

  /** A related company, or null when there is none or the caller has no grant on it. */
  async find(ctx: Context, id: number | null): Promise<CompanyType | null> {
    if (id === null || !isGranted(ctx, id)) return null;
    const row = await ctx.loader(companyById).load(id);
    return row ? CompanyType.from(row) : null;
  },

  async branches(ctx: Context, company: CompanyType): Promise<CompanyType[]> {
    const rows = await ctx.loader(branchesByParent).load(company.dbId);
    return rows.filter((row) => isGranted(ctx, row.id)).map(CompanyType.from);
  },

  /** The caller's own short name for the company (administrators only). */
  async shortName(ctx: Context, company: CompanyType): Promise<string | null> {
    if (ctx.principal.kind !== 'administrator') return null;
    const names = await ctx.loader(shortNamesByAdministrator).load(ctx.principal.administratorId);
    return names.get(company.dbId) ?? null;
  },

  /** The account, at once when the request has read it already (a page of numbers reads its accounts with it). */
  account(ctx: Context, id: number): AccountType | Promise<AccountType> {
    return whenKnown(ctx.loader(accountById).get(id), (row) => {
      if (!row) throw new NotFoundError('Account');
      return AccountType.from(row);
    });
  },

  async accounts(ctx: Context, company: CompanyType, first: number | undefined, after: string | null | undefined): Promise<Page<AccountType>> {
    const size = checkPageSize(first);
    const afterNo = (decodeAfter(after, ['text'])?.[0] as string | undefined) ?? null;
    const rows = await billing.listAccounts(ctx.db, company.dbId, size + 1, afterNo);
    return toPage(rows, size, afterNo !== null, AccountType.from, (row) => encodeCursor([row.accountNo]));
  },
};
