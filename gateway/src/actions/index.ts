export { ActionLogEntity } from './action-log.entity';
export { REPORT_FAILURES, reportFailureText, type ReportFailureCode } from './action-text';
export { ActionLogResolver, CompanyActionsResolver, NumberActionsResolver } from './action-log.resolver';
