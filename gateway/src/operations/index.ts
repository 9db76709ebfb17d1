export { NumberOperationsResolver, OperationResolver, toOperation } from './operation.resolver';
export { operationService } from './operation.service';
export { OperationSubscriptionResolver } from './operation.subscription';
export { allowedOperations } from './operation.catalogue';
export { checkState, OPERATION_KINDS, operationDefinition, type NumberFacts, type OperationKind, type OperationParams } from './operation.catalogue';
export { OperationKindEnum, OperationParameterType, OperationType } from './operation.type';
export { processOperation, processOperations, type WorkerDeps } from './operation.worker';
export { parseIccid, parseIdempotencyKey } from './operation.rules';
export { DEFAULT_QUEUE_TIMINGS, type QueueTimings } from './operation.queue';
