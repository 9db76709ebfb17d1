import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Context } from '../graphql/context';
import { DomainError } from '../graphql/errors';
import { formatError } from '../graphql/format-error';
import { guardOperation, REFUSAL_STATUS } from '../graphql/guard';
import type { EngineOptions } from './engine';
import { registerSubscriptions } from './subscriptions';

export async function apolloEngine(app: FastifyInstance, options: EngineOptions): Promise<void> {
  const { schema, createContext, metrics, log } = options;
  const apollo = new ApolloServer<Context & BaseContext>({
    schema,
    introspection: true,
    csrfPrevention: false,
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
            async didResolveOperation({ contextValue, document, operationName, request, schema: operationSchema }) {
              try {
                await guardOperation(contextValue, operationSchema, document, operationName, request.variables);
              } catch (error) {
                if (!(error instanceof DomainError)) throw error;
                throw new GraphQLError(error.message, {
                  originalError: error,
                  extensions: { code: error.code, http: { status: REFUSAL_STATUS[error.code] ?? 400 } },
                });
              }
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
      const result = formatError(graphQLError, log);
      metrics.countError(String(result.extensions?.code));
      return result;
    },
  });
  await apollo.start();
  app.route({
    url: '/graphql',
    method: ['GET', 'POST'],
    handler: fastifyApolloHandler(apollo, { context: async (request, reply) => createContext(request, reply) }),
  });
  registerSubscriptions(app, options);
}
