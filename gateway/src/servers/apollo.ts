import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Context } from '../core/context';
import type { Logger } from '../core/logger';
import { DomainError, httpStatusOf } from '../core/errors';
import { formatError } from '../graphql/format-error';
import { guardOperation } from '../graphql/guard';
import type { EngineOptions } from './engine';
import { registerSubscriptions } from './subscriptions';

export async function apolloEngine(app: FastifyInstance, options: EngineOptions): Promise<void> {
  const { schema, createContext, startOperation, metrics, log } = options;
  // formatError is given no context: each error is tied to its request's logger, so that its log line carries the reqId.
  const requestLogs = new WeakMap<object, Logger>();
  const apollo = new ApolloServer<Context & BaseContext>({
    schema,
    introspection: true,
    csrfPrevention: false,
    // Documents are persisted by the release registry only (`extensions.persistedQuery` is resolved before the engine):
    // no caller registers documents of their own.
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
      // The default cache-control plugin wraps every field's resolver to compute HTTP cache hints; answers carry
      // session data and are never cached, so that work per field is dropped.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ contextValue, document, operation, operationName, request, schema: operationSchema }) {
              try {
                await guardOperation(contextValue, operationSchema, document, operationName, request.variables);
              } catch (error) {
                if (!(error instanceof DomainError)) throw error;
                throw new GraphQLError(error.message, {
                  originalError: error,
                  extensions: { code: error.code, http: { status: httpStatusOf(error.code) } },
                });
              }
              if (operation) startOperation(contextValue, operation.operation);
            },
            async didEncounterErrors({ contextValue, errors }) {
              for (const error of errors) requestLogs.set(error, contextValue.log);
            },
            async willSendResponse({ contextValue, response }) {
              if (contextValue.cost && response.body.kind === 'single') {
                response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost: contextValue.cost };
              }
            },
          };
        },
      },
    ],
    formatError: (formatted, error) => {
      const graphQLError =
        error instanceof GraphQLError ? error : new GraphQLError(formatted.message, { originalError: error as Error, extensions: formatted.extensions });
      const requestLog = requestLogs.get(error as object) ?? requestLogs.get(graphQLError.originalError ?? graphQLError) ?? log;
      const result = formatError(graphQLError, requestLog);
      metrics.countError(String(result.extensions?.code));
      return result;
    },
  });
  await apollo.start();
  app.route({
    url: '/graphql',
    method: ['GET', 'POST'],
    handler: fastifyApolloHandler(apollo, {
      context: (request, reply) =>
        createContext(request, reply).catch((error: unknown) => {
          if (error instanceof Object) requestLogs.set(error, request.log);
          throw error;
        }),
    }),
  });
  registerSubscriptions(app, options);
}
