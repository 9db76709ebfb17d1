import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import { DomainError, ErrorCode, httpStatusOf, isDatabaseUnavailable, isDocumentError, retryAfterOf, SERVICE_UNAVAILABLE_MESSAGE } from '../core/errors';
import { documentTooLarge } from '../graphql/document-limits';
import { formatError, withoutSuggestions } from '../graphql/format-error';
import type { Metrics } from '../observability/metrics';
import { persistedHashOf } from '../releases';
import { asGraphQLError, sameAsInterpreted } from './mercurius';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with a GraphQL-over-HTTP request's parameters, or undefined; null `variables`, `operationName`, `extensions` are allowed. */
function problemOf(params: Record<string, unknown>, encoded: boolean): string | undefined {
  if (typeof params.query !== 'string' || params.query === '') return 'The request must carry the document as a non-empty string in `query`';
  if (params.operationName != null && typeof params.operationName !== 'string') return '`operationName` must be a string';
  for (const name of ['variables', 'extensions'] as const) {
    const value = params[name];
    if (value == null) continue;
    if (encoded && typeof value === 'string') {
      try {
        if (isObject(JSON.parse(value))) continue;
      } catch {
        // refused below
      }
    }
    if (!isObject(value) || encoded) return `\`${name}\` must be a JSON object`;
  }
  return undefined;
}

function refuse(reply: FastifyReply, metrics: Metrics, code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): FastifyReply {
  metrics.countError(code);
  const retryAfter = retryAfterOf(code);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  return reply
    .code(httpStatusOf(code))
    .type('application/json; charset=utf-8')
    .send({ errors: [{ message, extensions: { code, ...extensions } }] });
}

function isMutationOverGet(params: Record<string, unknown>): boolean {
  try {
    const operation = getOperationAST(parse(String(params.query)), typeof params.operationName === 'string' ? params.operationName : undefined);
    return operation?.operation === OperationTypeNode.MUTATION;
  } catch {
    return false;
  }
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** Whether the client asked for application/graphql-response+json before (or without) application/json. */
function wantsGraphqlResponse(accept: string | undefined): boolean {
  const types = (accept ?? '').split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const graphql = types.indexOf(GRAPHQL_RESPONSE);
  const json = types.indexOf('application/json');
  return graphql >= 0 && (json < 0 || graphql < json);
}

/**
 * The code and Retry-After of an answer with no data whose every error is one that passes with time (an unreachable
 * database, a limit such as a resolver's RATE_LIMITED): such an answer takes that code's status (503, 429) and
 * Retry-After on both engines, whichever step refused it.
 */
function passingFailure(payload: string): { code: ErrorCode; retryAfter: number } | undefined {
  // An answer with data is not one, and both engines write the data first: the rest of a long answer is not searched.
  if (payload.startsWith('{"data":{')) return undefined;
  if (!payload.includes(ErrorCode.SERVICE_UNAVAILABLE) && !payload.includes(ErrorCode.RATE_LIMITED)) return undefined;
  try {
    const body = JSON.parse(payload) as { data?: unknown; errors?: { extensions?: { code?: string; retryAfterSeconds?: unknown } }[] };
    const errors = body.errors ?? [];
    const codes = new Set(errors.map((e) => e.extensions?.code));
    const [code] = codes;
    if (body.data != null || codes.size !== 1) return undefined;
    if (code === ErrorCode.RATE_LIMITED) {
      const waits = errors.map((e) => e.extensions?.retryAfterSeconds).filter((wait): wait is number => typeof wait === 'number');
      return waits.length === errors.length ? { code, retryAfter: Math.max(...waits) } : undefined;
    }
    const retryAfter = retryAfterOf(code);
    return retryAfter === undefined ? undefined : { code: code as ErrorCode, retryAfter };
  } catch {
    return undefined;
  }
}

function onlyDocumentErrors(payload: string): boolean {
  try {
    const body = JSON.parse(payload) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    return body.data === undefined && Array.isArray(body.errors) && body.errors.length > 0 && body.errors.every((e) => isDocumentError(e.extensions?.code));
  } catch {
    return false;
  }
}

/**
 * Which documents a request may carry. A persisted document's hash (`extensions.persistedQuery.sha256Hash`, as
 * Apollo Client sends it) is replaced by the registry's text before any engine sees the request; an unknown hash
 * without a text is PERSISTED_QUERY_NOT_FOUND (the kit then sends the text). With `required`, a request without an
 * Authorization header (a browser session, or anonymous) must name a document the registry knows:
 * TRUSTED_DOCUMENT_REQUIRED otherwise. Partner keys keep free queries.
 */
export class DocumentPolicy {
  constructor(
    private readonly trusted: { get(hash: string): Promise<string | null> },
    readonly required: boolean,
  ) {}

  /** The text of a subscription's or request's document, or why it is refused. */
  async resolve(
    query: unknown,
    extensions: unknown,
    fromKey: boolean,
  ): Promise<{ query: string | undefined; refusal?: undefined } | { refusal: { code: ErrorCode; message: string } }> {
    const hash = persistedHashOf(extensions);
    const known = hash === undefined ? null : await this.trusted.get(hash);
    if (known !== null) return { query: known };
    if (hash !== undefined && (typeof query !== 'string' || query === '')) {
      return { refusal: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND, message: 'PersistedQueryNotFound: send the document with its hash' } };
    }
    if (this.required && !fromKey) {
      return {
        refusal: { code: ErrorCode.TRUSTED_DOCUMENT_REQUIRED, message: 'This portal accepts only its own documents from browsers; partners send an API key' },
      };
    }
    return { query: typeof query === 'string' ? query : undefined };
  }

  /** Puts the registry's text in a request's parameters, and takes the hash out of its extensions; or refuses it. */
  async settle(params: Record<string, unknown>, encoded: boolean, fromKey: boolean): Promise<{ code: ErrorCode; message: string } | undefined> {
    let extensions = params.extensions;
    if (encoded && typeof extensions === 'string') {
      try {
        extensions = JSON.parse(extensions);
      } catch {
        extensions = undefined;
      }
    }
    const resolved = await this.resolve(params.query, extensions, fromKey);
    if (resolved.refusal) return resolved.refusal;
    if (resolved.query !== undefined) params.query = resolved.query;
    if (isObject(extensions) && 'persistedQuery' in extensions) {
      const { persistedQuery: _persisted, ...rest } = extensions;
      params.extensions = encoded ? JSON.stringify(rest) : rest;
    }
    return undefined;
  }
}

/**
 * The HTTP side of /graphql, the same for both engines: a malformed request (a body that is not JSON or not one
 * object, no `query` string, parameters of the wrong type, too large) is the client's mistake, answered 400 `BAD_REQUEST`
 * or 413 `PAYLOAD_TOO_LARGE` before any engine sees it; a mutation over GET is 405 `METHOD_NOT_ALLOWED`; a database
 * that cannot be reached is 503 `SERVICE_UNAVAILABLE` with Retry-After; anything unexpected is logged with the
 * request's id and answered 500 `INTERNAL_SERVER_ERROR` without detail.
 * Answers are `application/graphql-response+json` when the client asks for it; a document that does not parse,
 * validate or take its variables is then 400, and 200 under `application/json` (the GraphQL-over-HTTP spec).
 */
export function registerGraphqlRequestChecks(app: FastifyInstance, metrics: Metrics, documents: DocumentPolicy): void {
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.url !== '/graphql' || (request.method !== 'GET' && request.method !== 'POST')) return;
    const encoded = request.method === 'GET';
    const params = encoded ? request.query : request.body;
    if (!isObject(params)) return refuse(reply, metrics, ErrorCode.BAD_REQUEST, 'The body must be one JSON object: { "query": "…", "variables": { … } }');
    const refusal = await documents.settle(params, encoded, request.headers.authorization !== undefined);
    if (refusal) return refuse(reply, metrics, refusal.code, refusal.message);
    // Apollo's integration reads a GET's parameters from the URL again: it gets the settled ones there.
    if (encoded) request.raw.url = `${request.url.split('?')[0]}?${new URLSearchParams(params as Record<string, string>)}`;
    const problem = problemOf(params, encoded);
    if (problem) return refuse(reply, metrics, ErrorCode.BAD_REQUEST, problem);
    const tooLarge = documentTooLarge(params.query as string);
    if (tooLarge) return refuse(reply, metrics, ErrorCode.QUERY_TOO_COMPLEX, tooLarge);
    for (const name of ['variables', 'operationName', 'extensions']) if (params[name] === null) delete params[name];
    if (encoded && isMutationOverGet(params)) {
      reply.header('allow', 'POST');
      return refuse(reply, metrics, ErrorCode.METHOD_NOT_ALLOWED, 'Only queries may be sent with GET');
    }
  });

  app.addHook('onSend', async (request, reply, sent) => {
    if (request.routeOptions.url !== '/graphql' || typeof sent !== 'string') return sent;
    const payload = withoutSuggestions(sent, request.cabinet?.context?.principal);
    const graphqlResponse = wantsGraphqlResponse(request.headers.accept);
    const failure = passingFailure(payload);
    if (failure) reply.code(httpStatusOf(failure.code)).header('retry-after', String(failure.retryAfter));
    if (graphqlResponse) reply.header('content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`);
    else if (reply.statusCode === 400 && onlyDocumentErrors(payload)) reply.code(200);
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (request.routeOptions.url !== '/graphql') {
      if (!error.statusCode || error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      return reply.code(status).send(status >= 500 ? { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' } : error);
    }
    if (error.statusCode === 413) return refuse(reply, metrics, ErrorCode.PAYLOAD_TOO_LARGE, 'The request body is too large');
    if (error.code === 'MER_ERR_METHOD_NOT_ALLOWED') return refuse(reply, metrics, ErrorCode.METHOD_NOT_ALLOWED, 'Only queries may be sent with GET');
    if ((error as unknown) instanceof DomainError) {
      // mercurius throws the pre-execution guard's refusals.
      const formatted = formatError(asGraphQLError(error), request.log);
      metrics.countError(String(formatted.extensions?.code));
      return reply
        .code(httpStatusOf((error as unknown as DomainError).code))
        .type('application/json; charset=utf-8')
        .send({ errors: [formatted] });
    }
    const thrown = (error as { errors?: unknown }).errors;
    if (Array.isArray(thrown) && error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // mercurius throws a document's parse and validation errors (graphql-jit's coercion errors reworded like graphql-js's).
      const errors = thrown.map((inner) => sameAsInterpreted(formatError(asGraphQLError(inner), request.log)));
      for (const formatted of errors) metrics.countError(String(formatted.extensions?.code));
      return reply.code(error.statusCode).type('application/json; charset=utf-8').send({ errors });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && error.code?.startsWith('FST_')) {
      return refuse(reply, metrics, ErrorCode.BAD_REQUEST, 'The body must be one JSON object: { "query": "…", "variables": { … } }');
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'the database cannot be reached');
      return refuse(reply, metrics, ErrorCode.SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE, {
        retryAfterSeconds: retryAfterOf(ErrorCode.SERVICE_UNAVAILABLE),
      });
    }
    request.log.error({ err: error }, 'unexpected error while serving GraphQL');
    return refuse(reply, metrics, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  });
}
