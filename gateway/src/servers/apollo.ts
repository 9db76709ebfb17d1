import { ApolloServer, type ApolloServerOptionsWithGateway, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { execute, GraphQLError, printSchema, type GraphQLSchema } from 'graphql';
import type { Context } from '../core/context';
import type { Logger } from '../core/logger';
import { DomainError, httpStatusOf } from '../core/errors';
import { formatError } from '../graphql/format-error';
import { guardOperation } from '../graphql/guard';
import { compiledDocuments } from '../graphql/subscription-execution';
import type { EngineOptions } from './engine';
import { sameAsInterpreted } from './mercurius';
import { registerSubscriptions } from './subscriptions';

/**
 * An error of graphql-jit as graphql's execute makes it: a GraphQLError of this graphql with its extensions (Apollo
 * reads their code), and a variable's coercion error worded as graphql words it.
 */
function asInterpreted(error: GraphQLError): GraphQLError {
  const { message } = sameAsInterpreted(error);
  const made = new GraphQLError(message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  return Object.defineProperty(made, 'locations', { value: error.locations, enumerable: true });
}

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type GatewaySchemaListener = Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0];

/**
 * The schema as Apollo's gateway interface hands it over, so that operations run as under mercurius: compiled
 * (graphql-jit) from their second execution, through graphql's execute before that and when graphql-jit cannot
 * compile them. Apollo's pipeline before execution (parsing, validation, the plugins and the guard) is its own.
 */
function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiledFor = compiledDocuments(schema, 1);
  const listeners = new Set<GatewaySchemaListener>();
  const executor: GatewayExecutor = async ({ source, document, operationName, request, context }) => {
    const args = { schema, document, operationName, variableValues: request.variables, contextValue: context };
    const program = compiledFor(source, args);
    if (!program) return execute(args);
    const result = await program.query(undefined, context, request.variables ?? {});
    return result.errors ? { ...result, errors: result.errors.map(asInterpreted) } : result;
  };
  return {
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load() {
      const coreSupergraphSdl = printSchema(schema);
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl });
      return { executor };
    },
    async stop() {},
  };
}

export async function apolloEngine(app: FastifyInstance, options: EngineOptions): Promise<void> {
  const { schema, createContext, startOperation, metrics, log } = options;
  // formatError is given no context: each error is tied to its request's logger, so that its log line carries the reqId.
  const requestLogs = new WeakMap<object, Logger>();
  const apollo = new ApolloServer<Context & BaseContext>({
    gateway: compiledExecution(schema),
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
