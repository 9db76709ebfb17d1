import type { Context } from '../graphql/context';
import { NotFoundError } from '../graphql/errors';
import { checkPageSize, decodeCursor, encodeCursor, toPage, type Page } from '../graphql/paging';
import { accountById, branchesByParent, companyById, listAccounts, listCompanies } from './company.loader';
import { AccountType, CompanyType } from './company.type';

export const companyService = {
  async list(ctx: Context): Promise<CompanyType[]> {
    return (await listCompanies(ctx.db)).map(CompanyType.from);
  },

  async get(ctx: Context, id: number): Promise<CompanyType> {
    const row = await ctx.loader(companyById).load(id);
    if (!row) throw new NotFoundError('Company');
    return CompanyType.from(row);
  },

  async find(ctx: Context, id: number | null): Promise<CompanyType | null> {
    if (id === null) return null;
    const row = await ctx.loader(companyById).load(id);
    return row ? CompanyType.from(row) : null;
  },

  async branches(ctx: Context, company: CompanyType): Promise<CompanyType[]> {
    return (await ctx.loader(branchesByParent).load(company.dbId)).map(CompanyType.from);
  },

  async account(ctx: Context, id: number): Promise<AccountType> {
    const row = await ctx.loader(accountById).load(id);
    if (!row) throw new NotFoundError('Account');
    return AccountType.from(row);
  },

  async accounts(ctx: Context, company: CompanyType, first: number | undefined, after: string | undefined): Promise<Page<AccountType>> {
    const size = checkPageSize(first);
    const afterNo = after === undefined ? null : String(decodeCursor(after, ['string'])[0]);
    const rows = await listAccounts(ctx.db, company.dbId, size, afterNo);
    return toPage(rows, size, afterNo !== null, AccountType.from, (row) => encodeCursor([row.accountNo]));
  },
};
