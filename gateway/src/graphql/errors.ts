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
