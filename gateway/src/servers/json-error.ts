import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode, httpStatusOf, knownCodeOf, retryAfterOf, SERVICE_UNAVAILABLE_MESSAGE } from '../core/errors';

/**
 * Answers a route outside GraphQL (`/downloads/…`, `/uploads/…`) with its error as GraphQL's are:
 * `{ errors: [{ message, extensions: { code, … } }] }`, with the code's status from the registry (or `status`).
 * A domain error keeps its message and extensions; an unreachable database is SERVICE_UNAVAILABLE with
 * Retry-After; anything else is logged as `logAs` and masked.
 */
export function sendJsonError(request: FastifyRequest, reply: FastifyReply, error: unknown, logAs: string, status?: number): FastifyReply {
  const code = knownCodeOf(error) ?? ErrorCode.INTERNAL_SERVER_ERROR;
  if (code === ErrorCode.INTERNAL_SERVER_ERROR) request.log.error({ err: error }, logAs);
  else if (code === ErrorCode.SERVICE_UNAVAILABLE) request.log.warn({ err: error }, logAs);
  const retryAfter = retryAfterOf(code);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  const message = error instanceof DomainError ? error.message : code === ErrorCode.SERVICE_UNAVAILABLE ? SERVICE_UNAVAILABLE_MESSAGE : 'Internal server error';
  const extensions = error instanceof DomainError ? { code, ...error.extra } : { code };
  return reply
    .code(status ?? httpStatusOf(code))
    .header('cache-control', 'no-store')
    .send({ errors: [{ message, extensions }] });
}
