export { BulkItemResolver, BulkOperationResolver, BulkSubscriptionResolver, toBulkOperation, APPROVAL_HOURS } from './bulk.resolver';
export { beginBulkOperation, BULK_OPERATION_CHANGED, bulkService, finishIfDone, publishProgress, type BulkRow, type BulkStatus } from './bulk.service';
export { approvalPolicy, needsApproval, DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from './bulk.policy';
export { createBulkQueue, registeredBulkQueue, BULK_QUEUE, type BulkQueue } from './bulk.queue';
export { startBulkWorker, driveBulkOperation, claimItems, type BulkWorkerDeps } from './bulk.worker';
export { uploadedLines, MAX_BULK_ITEMS } from './bulk.selection';
export { BulkOperationType, BulkOperationStatus } from './bulk.type';
