export { NumberOperationsResolver, OperationResolver, toOperation } from './operation.resolver';
export { operationService } from './operation.service';
export { allowedOperations } from './operation.rules';
