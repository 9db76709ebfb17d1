export { AccountDocumentsResolver, CompanyReportsResolver, DocumentResolver, ReportSubscriptionResolver } from './document.resolver';
export { documentService, issueDownload, registerDownloadKind, type DownloadLink, type OpenedDownload } from './document.service';
export { DownloadType } from './document.type';
export { writeXlsx } from './xlsx';
export { sinkFor, drained } from './sink';
export { startReportJobs, reportMailerOptions } from './report.jobs';
export type { ReportQueue } from './report.queue';
