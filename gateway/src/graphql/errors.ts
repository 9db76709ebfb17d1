/**
 * The one registry of error codes. Codes are API: they are listed in schema/README.md.
 * Services throw these; both engines format them with `formatError`.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  NUMBER_BLOCKED_FOR_DEBT: 'NUMBER_BLOCKED_FOR_DEBT',
  NUMBER_NOT_ACTIVE: 'NUMBER_NOT_ACTIVE',
  OPERATION_IN_PROGRESS: 'OPERATION_IN_PROGRESS',
  SIM_REPLACEMENT_COOLDOWN: 'SIM_REPLACEMENT_COOLDOWN',
  SIM_NOT_IN_STOCK: 'SIM_NOT_IN_STOCK',
  SERVICE_NOT_AVAILABLE: 'SERVICE_NOT_AVAILABLE',
  DOWNLOAD_EXPIRED: 'DOWNLOAD_EXPIRED',
  CURSOR_EXPIRED: 'CURSOR_EXPIRED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  INVALID_RECOVERY_CODE: 'INVALID_RECOVERY_CODE',
  RECOVERY_EXPIRED: 'RECOVERY_EXPIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  REGISTRATION_PENDING: 'REGISTRATION_PENDING',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  CSRF_REJECTED: 'CSRF_REJECTED',
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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
