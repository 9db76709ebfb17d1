import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../core/logger';
import type { Principal } from '../core/principal';
import { DomainError, ErrorCode, httpStatusOf, isDatabaseUnavailable, isDocumentError, retryAfterOf, SERVICE_UNAVAILABLE_MESSAGE } from '../core/errors';

/** The code of an error raised before execution (parse, validation, variable coercion). */
function requestErrorCode(error: GraphQLError): ErrorCode {
  const existing = error.extensions?.code;
  if (existing === ErrorCode.GRAPHQL_PARSE_FAILED || error.message.startsWith('Syntax Error')) return ErrorCode.GRAPHQL_PARSE_FAILED;
  if (existing === ErrorCode.BAD_USER_INPUT || /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/.test(error.message)) {
    return ErrorCode.BAD_USER_INPUT;
  }
  return ErrorCode.GRAPHQL_VALIDATION_FAILED;
}

/**
 * Formats one error for clients, the same way on both engines: domain errors keep their code
 * (BAD_USER_INPUT names the field), request errors get the GraphQL-over-HTTP codes, an unreachable database is
 * SERVICE_UNAVAILABLE with when to retry, anything unexpected is logged and masked.
 */
export function formatError(error: GraphQLError, log: Logger): GraphQLFormattedError {
  const original = error.originalError;
  const base = { message: error.message, locations: error.locations, path: error.path };

  if (original instanceof DomainError) {
    return { ...base, extensions: { code: original.code, ...original.extra } };
  }
  if (original === undefined || original instanceof GraphQLError) {
    if (error.path === undefined) {
      return { message: error.message, locations: error.locations, extensions: { code: requestErrorCode(error) } };
    }
  }
  if (isDatabaseUnavailable(original)) {
    log.warn({ err: original, path: error.path }, 'the database cannot be reached');
    const code = ErrorCode.SERVICE_UNAVAILABLE;
    return { ...base, message: SERVICE_UNAVAILABLE_MESSAGE, extensions: { code, retryAfterSeconds: retryAfterOf(code) } };
  }
  log.error({ err: original ?? error, path: error.path }, 'unexpected error while resolving');
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** HTTP status for a response with no data: a document's errors are the client's (their registered 400), the rest 200. */
export function statusForErrors(errors: readonly GraphQLFormattedError[], hasData: boolean): number {
  if (hasData || errors.length === 0) return 200;
  if (errors.every((e) => isDocumentError(e.extensions?.code)) && errors.some((e) => e.path === undefined)) return httpStatusOf(errors[0].extensions?.code);
  return 200;
}

const SUGGESTION = / Did you mean (?:[^"\\]|\\.)*?\?/g;

/**
 * An answer (as JSON text) for its caller: graphql-js's "Did you mean …" would let anyone map the schema field by
 * field, so only callers with a session or key get them — over HTTP and over the WebSocket alike.
 */
export function withoutSuggestions(json: string, principal: Principal | undefined): string {
  return (!principal || principal.kind === 'anonymous') && json.includes('Did you mean') ? json.replace(SUGGESTION, '') : json;
}
