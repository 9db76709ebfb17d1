export { BulkItemResolver, BulkOperationResolver, BulkSubscriptionResolver, toBulkOperation } from './bulk.resolver';
export { beginBulkOperation, BULK_OPERATION_CHANGED, bulkService, finishIfDone, publishProgress, type BulkRow, type BulkStatus } from './bulk.service';
export { APPROVAL_WINDOW_HOURS, type ApprovalQueue } from './bulk.approval.queue';
export { startApprovalJobs } from './bulk.approval.jobs';
export { createBulkQueue, registeredBulkQueue, BULK_QUEUE, type BulkQueue } from './bulk.queue';
export { startBulkWorker, driveBulkOperation, claimItems, type BulkWorkerDeps } from './bulk.worker';
export { uploadedLines, MAX_BULK_ITEMS } from './bulk.selection';
export { BulkOperationType, BulkOperationStatus } from './bulk.type';
export { BulkUploadResolver } from './bulk.upload';
