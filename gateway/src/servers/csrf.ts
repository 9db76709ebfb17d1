import type { FastifyInstance } from 'fastify';
import { ErrorCode, httpStatusOf } from '../core/errors';

const JSON_TYPES = new Set(['application/json', 'application/graphql-response+json']);
/** Headers a browser cannot add to a cross-site request without a CORS preflight (Apollo's names, plus ours). */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight', 'graphql-require-preflight', 'authorization'];

/**
 * CSRF protection for /graphql on both engines, with Apollo's csrfPrevention semantics: a POST must carry
 * a JSON body (a cross-site form cannot), and a GET must carry a header that forces a CORS preflight.
 */
export function registerCsrfProtection(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql') return;
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const safe =
      request.method === 'POST' ? JSON_TYPES.has(type) : PREFLIGHT_HEADERS.some((name) => request.headers[name] !== undefined) || JSON_TYPES.has(type);
    if (safe || request.method === 'OPTIONS') return;
    return reply.code(httpStatusOf(ErrorCode.CSRF_REJECTED)).send({
      errors: [
        {
          message:
            request.method === 'POST'
              ? 'Send GraphQL requests with Content-Type: application/json'
              : 'A GET request must carry an Apollo-Require-Preflight or X-Apollo-Operation-Name header',
          extensions: { code: ErrorCode.CSRF_REJECTED },
        },
      ],
    });
  });
}
