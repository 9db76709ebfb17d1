/**
 * Uploaded lists of numbers for bulk operations: what the rest of the gateway uses of them (the upload URL's
 * mutation, the route's service, the parser and the line codes with their texts).
 */
export {
  bulkUploadService,
  redactUploadUrl,
  uploadDbId,
  uploadGlobalId,
  UploadExpiredError,
  UPLOAD_LIST_HOURS,
  UploadListExpiredError,
  UPLOAD_TTL_SECONDS,
  UPLOADS_PATH,
  type UploadReceipt,
  type UploadRequest,
  type UploadTarget,
} from './bulk.upload.service';
export { BulkTooLargeError, MAX_UPLOAD_BYTES, MAX_UPLOAD_LINES, normalizeMsisdn, parseUpload, UploadInvalidError, XLSX_TYPE } from './bulk.upload.parse';
export type { ParsedUpload, UploadFormat, UploadLine } from './bulk.upload.parse';
export { UPLOAD_INVALID_TEXTS, UPLOAD_LINE_TEXTS, type UploadInvalidReason, type UploadLineCode } from './bulk.upload.texts';
export { BulkUploadResolver } from './bulk.upload.resolver';
export { BulkUploadTargetType } from './bulk.upload.type';
