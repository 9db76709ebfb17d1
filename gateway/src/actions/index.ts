export { ActionLogEntity } from './action-log.entity';
export { ActionLogResolver, CompanyActionsResolver, NumberActionsResolver } from './action-log.resolver';
