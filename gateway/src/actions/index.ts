export { ActionLogEntity } from './action-log.entity';
export { ActionLogResolver, CompanyActionsResolver, NumberActionsResolver } from './action-log.resolver';
export { recordView, recordAction, settleAction } from './action-recorder';
export { ActionStatus, ActorType } from './action-log.type';
