export { NumberOperationsResolver, OperationResolver, toOperation } from './operation.resolver';
export { operationService } from './operation.service';
export { OperationSubscriptionResolver } from './operation.subscription';
export { allowedOperations } from './operation.catalogue';
export { parseIccid } from './operation.rules';
