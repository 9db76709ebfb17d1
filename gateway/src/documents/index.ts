export { AccountDocumentsResolver, CompanyReportsResolver, DocumentResolver, ReportSubscriptionResolver } from './document.resolver';
export { documentService, type OpenedDownload } from './document.service';
export { startReportJobs, reportMailerOptions } from './report.jobs';
export type { ReportQueue } from './report.queue';
