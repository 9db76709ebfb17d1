import { INVOICE_REGISTER_MAX_MONTHS, RECONCILIATION_WINDOW_MONTHS, USAGE_WINDOW_DAYS } from '@cabinet/schema/rules';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { AccountType, CompanyType, PageArgs } from '../companies';
import { eventCursor } from '../events';
import type { Context } from '../core/context';
import { mapNodes } from '../core/paging';
import { fromGlobalId } from '../core/ids';
import type { CabinetEvent } from '../core/events';
import { DateScalar } from '../common/scalars';
import { UsageKind } from '../usage';
import { documentService } from './document.service';
import { DocumentFormat, DownloadType, ReportChangeType, ReportConnection, reportDbId, ReportType } from './document.type';
import { reportEvents, reportService } from './report.service';

const COMPANY_ID = { description: 'Global ID of the company.' };
const NUMBER_ID = { description: 'Global ID of the number.' };
const EMAIL = {
  nullable: true,
  description:
    'Where to send it; default: the signed-in administrator’s e-mail (required for API keys; a READ key may name only an administrator of the company). At most 20 e-mailed reports per company an hour.',
};

@ArgsType()
class UsageFileArgs {
  @Field(() => ID, NUMBER_ID) numberId: string;
  @Field(() => DocumentFormat, { description: 'PDF or XLSX.' }) format: DocumentFormat;
  @Field(() => DateScalar, {
    nullable: true,
    description: `First day, inclusive, within the last ${USAGE_WINDOW_DAYS} days including today. Default: one month before \`to\`, clipped.`,
  })
  from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: `Last day, inclusive, within the last ${USAGE_WINDOW_DAYS} days. Default: today.` }) to?:
    string | null;
  @Field(() => UsageKind, { nullable: true, description: 'Only records of this kind.' }) type?: UsageKind | null;
}

@ArgsType()
class PaymentHistoryFileArgs {
  @Field(() => ID, NUMBER_ID) numberId: string;
  @Field(() => DateScalar, { nullable: true, description: 'First day, inclusive. Default: one month before `to`.' }) from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last day, inclusive, not in the future. Default: today.' }) to?: string | null;
}

@ArgsType()
class CreditPaymentsFileArgs {
  @Field(() => ID, COMPANY_ID) companyId: string;
  @Field(() => DateScalar, { nullable: true, description: 'First day, inclusive. Default: one month before `to`.' }) from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last day, inclusive, not in the future. Default: today.' }) to?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only this Credit account (global ID); default: every Credit account of the company.' })
  accountId?: string | null;
}

@ArgsType()
class CompletedWorksActArgs {
  @Field(() => ID, COMPANY_ID) companyId: string;
  @Field(() => ID, { nullable: true, description: 'The personal account (global ID, from `Company.accounts`). Give this or `msisdn`.' })
  accountId?: string | null;
  @Field(() => String, { nullable: true, description: 'A number of the company: its personal account is used. Give this or `accountId`.' })
  msisdn?: string | null;
  @Field(() => Int, { description: 'Year, e.g. 2025.' }) year: number;
  @Field(() => Int, { description: 'Month, 1 to 12: an ended month with charges on the account (see `Account.actMonths`).' }) month: number;
}

@ArgsType()
class InvoiceRegisterArgs {
  @Field(() => ID, COMPANY_ID) companyId: string;
  @Field({ description: 'First month, YYYY-MM.' }) fromMonth: string;
  @Field({ description: 'Last month, YYYY-MM, ended (before the current one) and at most 11 months after `fromMonth`.' }) toMonth: string;
}

@ArgsType()
class NumbersReportArgs {
  @Field(() => ID, COMPANY_ID) companyId: string;
  @Field(() => String, EMAIL) email?: string | null;
}

@ArgsType()
class ReconciliationActArgs {
  @Field(() => ID, COMPANY_ID) companyId: string;
  @Field(() => DateScalar, {
    nullable: true,
    description: `First day, inclusive, at most ${RECONCILIATION_WINDOW_MONTHS} months before today. Default: one month before \`to\`.`,
  })
  from?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'Last day, inclusive, not in the future. Default: today.' }) to?: string | null;
  @Field(() => String, EMAIL) email?: string | null;
}

const companyId = (id: string) => fromGlobalId('Company', id, 'companyId');
const numberId = (id: string) => fromGlobalId('Number', id, 'numberId');
const accountId = (id: string | null | undefined) => (id ? fromGlobalId('Account', id, 'accountId') : null);

@Resolver()
export class DocumentResolver {
  @Mutation(() => DownloadType, {
    description: `Usage details of a number as a PDF or XLSX file (F18), with totals; the same ${USAGE_WINDOW_DAYS}-day window as \`Number.usage\`. Recorded in the actions history.`,
  })
  downloadUsageDetails(@Args() { numberId: id, ...request }: UsageFileArgs, @Ctx() ctx: Context) {
    return documentService.usageFile(ctx, numberId(id), request);
  }

  @Mutation(() => DownloadType, { description: 'Payment history of an Advance number as an XLSX file (F19). Recorded in the actions history.' })
  downloadPaymentHistory(@Args() { numberId: id, ...period }: PaymentHistoryFileArgs, @Ctx() ctx: Context) {
    return documentService.paymentHistoryFile(ctx, numberId(id), period);
  }

  @Mutation(() => DownloadType, {
    description:
      'Payment history of the company’s Credit (postpaid) accounts as an XLSX file (F20), with the account of each row. Recorded in the actions history.',
  })
  downloadCreditPayments(@Args() { companyId: id, accountId: account, ...period }: CreditPaymentsFileArgs, @Ctx() ctx: Context) {
    return documentService.creditPaymentsFile(ctx, companyId(id), { ...period, accountId: accountId(account) });
  }

  @Mutation(() => DownloadType, {
    description:
      'Act of completed works with Appendix No. 1 (per number) of a personal account for a service month, as PDF (F23): exactly the charges for that month, dated its last day. A month not ended or without charges is refused (BAD_USER_INPUT, field `month`, reason MONTH_NOT_ENDED or NO_CHARGES). Recorded in the actions history.',
  })
  downloadCompletedWorksAct(@Args() { companyId: id, accountId: account, ...request }: CompletedWorksActArgs, @Ctx() ctx: Context) {
    return documentService.completedWorksAct(ctx, companyId(id), { ...request, accountId: accountId(account) });
  }

  @Mutation(() => DownloadType, {
    description: `Invoice register of the company for a range of ended months (at most ${INVOICE_REGISTER_MAX_MONTHS}), as XLSX (F24): one invoice per personal account and service month, dated the month’s last day. Recorded in the actions history.`,
  })
  downloadInvoiceRegister(@Args() { companyId: id, ...range }: InvoiceRegisterArgs, @Ctx() ctx: Context) {
    return documentService.invoiceRegister(ctx, companyId(id), range);
  }

  @Mutation(() => ReportType, {
    description:
      'Requests the list of numbers report (F22): prepared in the background and e-mailed as XLSX stating the time its data are valid for. Returns the report IN_PROCESS; `reportChanged` tells when it is sent.',
  })
  async requestNumbersReport(@Args() { companyId: id, email }: NumbersReportArgs, @Ctx() ctx: Context): Promise<ReportType> {
    return ReportType.from(await reportService.numbersList(ctx, companyId(id), email), ctx.language);
  }

  @Mutation(() => ReportType, {
    description: `Requests a reconciliation act (F25, beta) for a period at most ${RECONCILIATION_WINDOW_MONTHS} months back from today: prepared in the background and e-mailed as PDF. Returns the report IN_PROCESS.`,
  })
  async requestReconciliationAct(@Args() { companyId: id, ...request }: ReconciliationActArgs, @Ctx() ctx: Context): Promise<ReportType> {
    return ReportType.from(await reportService.reconciliationAct(ctx, companyId(id), request), ctx.language);
  }

  @Query(() => ReportType, { description: 'One report by its ID. NOT_FOUND when it does not exist or its company is not granted.' })
  async report(@Arg('id', () => ID, { description: 'Global ID of the report.' }) id: string, @Ctx() ctx: Context): Promise<ReportType> {
    return ReportType.from(await reportService.get(ctx, reportDbId(id, 'id')), ctx.language);
  }
}

@Resolver(() => AccountType)
export class AccountDocumentsResolver {
  @FieldResolver(() => [String], {
    description:
      'The months (YYYY-MM, newest first) whose act of completed works can be issued for this account: ended, with charges for that service month. `downloadCompletedWorksAct` refuses any other.',
  })
  actMonths(@Root() account: AccountType, @Ctx() ctx: Context): Promise<string[]> {
    return documentService.actMonths(ctx, account.dbId);
  }
}

@Resolver(() => CompanyType)
export class CompanyReportsResolver {
  @FieldResolver(() => [String], {
    description: 'The months (YYYY-MM, newest first) an invoice register can list: ended, with charges on any of the company’s accounts.',
  })
  invoiceMonths(@Root() company: CompanyType, @Ctx() ctx: Context): Promise<string[]> {
    return documentService.invoiceMonths(ctx, company.dbId);
  }

  @FieldResolver(() => ReportConnection, { description: 'Reports requested for the company, newest first.' })
  async reports(@Root() company: CompanyType, @Args() { first, after }: PageArgs, @Ctx() ctx: Context) {
    const page = await reportService.list(ctx, company, first, after);
    return mapNodes(page, (node) => ReportType.from(node, ctx.language));
  }
}

@Resolver()
export class ReportSubscriptionResolver {
  @Subscription(() => ReportChangeType, {
    description: 'Reports of the company as they are requested and then sent (SUCCESS) or fail. Authorized like queries, at connection_init.',
    subscribe: (({ args, context }: { args: { companyId: string; after?: string | null }; context: Context }) =>
      reportEvents(context, companyId(args.companyId), args.after)) as never,
  })
  async reportChanged(
    @Root() event: CabinetEvent,
    @Arg('companyId', () => ID, COMPANY_ID) _companyId: string,
    @Arg('after', () => String, {
      nullable: true,
      description:
        'The `cursor` of the last event you have: the events since then come first, then live ones, none twice. CURSOR_EXPIRED when it is older than the log keeps: refetch.',
    })
    _after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ReportChangeType> {
    return {
      sequence: event.sequence,
      cursor: eventCursor(event.companyId!, event.position),
      report: ReportType.from(await reportService.get(ctx, String(event.payload.reportId)), ctx.language),
    };
  }
}
