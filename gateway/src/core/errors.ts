/** What a code means over HTTP. */
export interface ErrorSpec {
  /**
   * Status of an answer this error refuses whole: before execution, or outside GraphQL (`GET /downloads/…`).
   * Absent for a code that only ever comes inside a GraphQL result, which is 200.
   */
  readonly status?: number;
  /** An error of the document itself (parse, validation, variables): 400 under application/graphql-response+json, 200 under application/json. */
  readonly document?: true;
  /** The answer carries `Retry-After` (seconds): the failure is the server's and passes. */
  readonly retryAfterSeconds?: number;
}

/**
 * The one registry of error codes. Codes are API: they are listed in schema/README.md with their status.
 * Services throw these; both engines format them with `formatError`.
 */
export const ERRORS = {
  BAD_USER_INPUT: { status: 400, document: true },
  NOT_FOUND: { status: 404 },
  FORBIDDEN: { status: 403 },
  UNAUTHENTICATED: { status: 401 },
  CONFLICT: {},
  NUMBER_BLOCKED_FOR_DEBT: {},
  NUMBER_NOT_ACTIVE: {},
  OPERATION_IN_PROGRESS: {},
  SIM_REPLACEMENT_COOLDOWN: {},
  SIM_NOT_IN_STOCK: {},
  SERVICE_NOT_AVAILABLE: {},
  TARIFF_NOT_AVAILABLE: {},
  DOWNLOAD_EXPIRED: { status: 410 },
  INVALID_CREDENTIALS: {},
  INVALID_RECOVERY_CODE: {},
  RECOVERY_EXPIRED: {},
  RATE_LIMITED: { status: 429 },
  REGISTRATION_PENDING: {},
  QUERY_TOO_COMPLEX: { status: 400 },
  CSRF_REJECTED: { status: 400 },
  GRAPHQL_PARSE_FAILED: { status: 400, document: true },
  GRAPHQL_VALIDATION_FAILED: { status: 400, document: true },
  METHOD_NOT_ALLOWED: { status: 405 },
  BAD_REQUEST: { status: 400 },
  PAYLOAD_TOO_LARGE: { status: 413 },
  INTERNAL_SERVER_ERROR: { status: 500 },
  // A pooler restarting or a primary failing over takes a few seconds.
  SERVICE_UNAVAILABLE: { status: 503, retryAfterSeconds: 5 },
  CURSOR_EXPIRED: {},
  // A hash the registry does not know: send the document itself (the kit does).
  PERSISTED_QUERY_NOT_FOUND: { status: 400, document: true },
  TRUSTED_DOCUMENT_REQUIRED: { status: 400 },
  WEBHOOK_URL_NOT_ALLOWED: {},
  WEBHOOK_ENDPOINT_DISABLED: {},
  WEBHOOK_ENDPOINT_LIMIT: {},
  BULK_SELECTION_INVALID: {},
  BULK_TOO_LARGE: {},
  DRY_RUN_OUTDATED: {},
  SCHEDULE_IN_PAST: {},
  // `POST /uploads/…`: not a CSV or XLSX, over 20 MB (then 413), no MSISDN column, no numbers at all.
  UPLOAD_INVALID: { status: 400 },
  UPLOAD_EXPIRED: { status: 410 },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
export const ErrorCode = Object.freeze(Object.fromEntries(Object.keys(ERRORS).map((code) => [code, code]))) as { readonly [C in ErrorCode]: C };

function specOf(code: unknown): ErrorSpec | undefined {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code) ? (ERRORS as Record<string, ErrorSpec>)[code] : undefined;
}

/** The status of an answer refused whole by an error of this code; 400 for a code that has none, 500 for an unknown one. */
export function httpStatusOf(code: unknown): number {
  const spec = specOf(code);
  if (spec === undefined) return 500;
  return spec.status ?? 400;
}

/** Whether the code is of a document that reached the server whole but did not parse, validate or take its variables. */
export function isDocumentError(code: unknown): boolean {
  return specOf(code)?.document === true;
}

/** Seconds of `Retry-After` for an answer refused by this code, or undefined. */
export function retryAfterOf(code: unknown): number | undefined {
  return specOf(code)?.retryAfterSeconds;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadUserInputError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(ErrorCode.BAD_USER_INPUT, message, { field });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(ErrorCode.NOT_FOUND, `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.CONFLICT, message);
  }
}

/** Node's codes of a connection that could not be made or was lost. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** PostgreSQL's SQLSTATEs of a server that is going away or not taking connections now (class 08 aside). */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-postgres's words for a lost connection and for a pool that had none free in time. */
const UNAVAILABLE_MESSAGE = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether an error says the database cannot be reached right now (refused or dropped connections, an
 * administrator's shutdown, a full server, an exhausted pool) rather than that a statement is wrong.
 * TypeORM wraps the driver's error (`driverError`), Node its attempts at several addresses (`errors`), graphql-js
 * a thrown value that is not an Error of its realm (`thrownValue`).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, driverError, cause, thrownValue, errors } = error as Record<string, unknown>;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  return [driverError, cause, thrownValue, ...(Array.isArray(errors) ? errors : [])].some(
    (inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1),
  );
}

/** The registry's code for a thrown error: a domain error's own, SERVICE_UNAVAILABLE for an unreachable database, else undefined. */
export function knownCodeOf(error: unknown): ErrorCode | undefined {
  if (error instanceof DomainError) return error.code;
  return isDatabaseUnavailable(error) ? ErrorCode.SERVICE_UNAVAILABLE : undefined;
}

/** What clients are told when the database cannot be reached: the code, and when to retry. */
export const SERVICE_UNAVAILABLE_MESSAGE = 'The service is briefly unavailable; try again in a few seconds';
