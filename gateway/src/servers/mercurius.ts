import type { FastifyInstance } from 'fastify';
import { getOperationAST, GraphQLError } from 'graphql';
import mercurius from 'mercurius';
import type { Context } from '../core/context';
import type { Logger } from '../core/logger';
import { DomainError, httpStatusOf } from '../core/errors';
import { formatError, statusForErrors } from '../graphql/format-error';
import { guardOperation } from '../graphql/guard';
import type { EngineOptions } from './engine';
import { registerSubscriptions } from './subscriptions';

interface ThrownByMercurius {
  code?: string;
  statusCode?: number;
  errors?: unknown[];
}

export function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const e = error as Error;
  return new GraphQLError(e.message, { originalError: e });
}

/**
 * A query seen twice runs compiled (graphql-jit), which words a variable's coercion error with an extra
 * "Expected type X;": the answer is kept the same as the first time's, and the same as Apollo's.
 */
export function sameAsInterpreted<T extends { message: string }>(error: T): T {
  const message = error.message.replace(/^(Variable "\$\w+" got invalid value .*?); Expected type [^;]+;/, '$1;');
  return message === error.message ? error : { ...error, message };
}

type WithReply = { reply: { request: { log: Logger } } };
type WithRequest = Context & { reply: { request: { body?: { operationName?: string }; query?: { operationName?: string } } } };

/**
 * mercurius serves queries and mutations. Subscriptions go through the shared graphql-ws server, not
 * mercurius's own: that one spreads the context into a plain object (our Context loses its methods), keeps
 * one context for every event of a subscription, and reports refusals without our error codes.
 */
export async function mercuriusEngine(app: FastifyInstance, options: EngineOptions): Promise<void> {
  const { schema, createContext, startOperation, metrics, log } = options;
  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    // Queries are compiled with graphql-jit from their second execution: the portal sends the same few queries.
    jit: 1,
    // Thrown errors (a malformed body, a failing context) go to the app's handler, the same as under Apollo.
    errorHandler: false,
    context: (request, reply) => createContext(request, reply),
    errorFormatter: (execution, context) => {
      const requestLog = (context as Partial<WithReply> | undefined)?.reply?.request.log ?? log;
      const thrown = execution.errors.length === 1 ? (execution.errors[0].originalError as ThrownByMercurius | undefined) : undefined;
      const flat = execution.errors.flatMap((error) => {
        const inner = (error.originalError as ThrownByMercurius | undefined)?.errors;
        return Array.isArray(inner) ? inner.map(asGraphQLError) : [error];
      });
      const errors = flat.map((error) => formatError(error, requestLog)).map(sameAsInterpreted);
      for (const error of errors) metrics.countError(String(error.extensions?.code));
      const hasData = execution.data !== undefined && execution.data !== null;
      // Errors thrown before execution (parsing, validation, the guard) reach here without a `data` entry.
      const beforeExecution = !('data' in execution);
      // Only the guard's refusals change the status; a resolver's UNAUTHENTICATED or RATE_LIMITED is 200, as under Apollo.
      const refusal = beforeExecution && thrown instanceof DomainError ? httpStatusOf(thrown.code) : undefined;
      const statusCode = refusal ?? (thrown?.statusCode && thrown.statusCode >= 400 ? thrown.statusCode : statusForErrors(errors, hasData));
      const response = beforeExecution ? { errors } : { data: hasData ? execution.data : null, errors };
      return { statusCode, response: response as { data: null; errors: typeof errors } };
    },
  });
  app.graphql.addHook('preExecution', async (schema, document, context, variables) => {
    const request = (context as unknown as WithRequest).reply.request;
    const operationName = request.body?.operationName ?? request.query?.operationName;
    await guardOperation(context as unknown as Context, schema, document, operationName, variables as Record<string, unknown>);
    const operation = getOperationAST(document, operationName);
    if (operation) startOperation(context as unknown as Context, operation.operation);
  });
  app.graphql.addHook('onResolution', async (execution, context) => {
    const cost = (context as unknown as Context).cost;
    if (cost) Object.assign(execution, { extensions: { ...execution.extensions, cost } });
  });
  registerSubscriptions(app, options);
}
