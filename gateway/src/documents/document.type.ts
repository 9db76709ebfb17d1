import { RECONCILIATION_WINDOW_MONTHS } from '@cabinet/schema/rules';
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { reportFailureText } from '../actions';
import { ActionStatus } from '../common/actions';
import { Connection } from '../common/connection';
import { fromGlobalId, toGlobalId, type NodeKind } from '../core/ids';
import type { Language } from '../core/language';
import type { ReportRow } from './report.service';

export enum DocumentFormat {
  PDF = 'PDF',
  XLSX = 'XLSX',
}
registerEnumType(DocumentFormat, { name: 'DocumentFormat', description: 'File format of a document.' });

export enum ReportKind {
  NUMBERS_LIST = 'NUMBERS_LIST',
  RECONCILIATION_ACT = 'RECONCILIATION_ACT',
}
registerEnumType(ReportKind, {
  name: 'ReportKind',
  description: 'A report prepared in the background and e-mailed.',
  valuesConfig: {
    NUMBERS_LIST: { description: 'List of numbers report (XLSX): every number with its payment method, credit limit and available balance.' },
    RECONCILIATION_ACT: { description: `Reconciliation act (PDF) over at most the last ${RECONCILIATION_WINDOW_MONTHS} months (beta).` },
  },
});

@ObjectType('Download', { description: 'A file to fetch with GET from `url`, by the same caller (session or API key), before `expiresAt`.' })
export class DownloadType {
  @Field({
    description:
      'Path of the file on the gateway, e.g. "/downloads/eyJ…": resolve it against the GraphQL endpoint’s origin. 404 for anyone else, 401 without credentials, 410 DOWNLOAD_EXPIRED after `expiresAt`.',
  })
  url: string;
  @Field(() => GraphQLDateTime, { description: 'When the link stops working (5 minutes after it was made).' }) expiresAt: Date;
  @Field({ description: 'File name the download is offered under, e.g. "usage-77010542001-2025-03-01-2025-03-31.pdf".' }) filename: string;
}

// The global-ID kind list lives in graphql/ids.ts; reports use the same encoding.
const REPORT_KIND = 'Report' as NodeKind;
export const reportGlobalId = (id: string) => toGlobalId(REPORT_KIND, id);
export const reportDbId = (globalId: string, argument: string) => String(fromGlobalId(REPORT_KIND, globalId, argument));

@ObjectType('Report', { description: 'A report requested by e-mail: prepared in the background, then sent as an attachment.' })
export class ReportType {
  @Field(() => ID, { description: 'Global ID of the report.' }) id: string;
  @Field(() => ReportKind, { description: 'What report it is.' }) kind: ReportKind;
  @Field(() => ActionStatus, { description: 'IN_PROCESS while it is prepared, then SUCCESS (sent) or FAILURE.' }) status: ActionStatus;
  @Field({ description: 'The address it is sent to.' }) email: string;
  @Field(() => GraphQLDateTime, { description: 'When it was requested.' }) createdAt: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was sent or failed.' }) finishedAt: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'The moment its data are valid for, as stated in the report.' }) dataAsOf: Date | null;
  @Field(() => Int, { nullable: true, description: 'Rows in the report’s table, once sent.' }) rows: number | null;
  @Field(() => String, { nullable: true, description: 'Why it failed (FAILURE only), in the reader’s language.' }) failureReason: string | null;

  static from(row: ReportRow, language: Language): ReportType {
    return Object.assign(new ReportType(), {
      id: reportGlobalId(row.id),
      kind: row.kind as ReportKind,
      status: row.status as ActionStatus,
      email: row.email,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
      dataAsOf: row.dataAsOf,
      rows: row.rows,
      failureReason: row.failureReason === null ? null : reportFailureText(row.failureReason, language),
    });
  }
}

export const ReportConnection = Connection(ReportType, 'Report', 'report');

@ObjectType('ReportChange', { description: 'A report was requested, sent or failed.' })
export class ReportChangeType {
  @Field(() => Int, { description: 'The company’s sequence of these events: 1, 2, 3…' }) sequence: number;
  @Field({ description: 'Where this event stands in the company’s event log: keep the last one and pass it as `after` when you subscribe again.' })
  cursor: string;
  @Field(() => ReportType, { description: 'The report now.' }) report: ReportType;
}
