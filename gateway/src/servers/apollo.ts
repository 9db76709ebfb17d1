import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import type { Context } from '../graphql/context';
import { formatError } from '../graphql/format-error';
import type { EngineOptions } from './engine';

export async function apolloEngine(app: FastifyInstance, { schema, createContext, metrics, log }: EngineOptions): Promise<void> {
  const apollo = new ApolloServer<Context & BaseContext>({
    schema,
    introspection: true,
    csrfPrevention: false,
    includeStacktraceInErrorResponses: false,
    plugins: [fastifyApolloDrainPlugin(app), ApolloServerPluginLandingPageDisabled()],
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
    handler: fastifyApolloHandler(apollo, { context: async (request) => createContext(request) }),
  });
}
