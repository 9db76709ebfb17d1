import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Context } from '../graphql/context';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';

/** What an engine needs from the app; engines hold no business logic. */
export interface EngineOptions {
  schema: GraphQLSchema;
  createContext(request: FastifyRequest, reply: FastifyReply): Promise<Context>;
  metrics: Metrics;
  log: Logger;
}

export type Engine = (app: FastifyInstance, options: EngineOptions) => Promise<void>;
