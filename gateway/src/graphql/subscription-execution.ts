import {
  getOperationAST,
  GraphQLError,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Context, LoaderCache } from '../core/context';
import { documentTooLarge } from './document-limits';
import { DomainError, ErrorCode, knownCodeOf } from '../core/errors';
import type { CabinetEvent } from '../core/events';
import { slot } from '../core/slot';

export function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(e.message, { originalError: e });
}

/** A subscription's document, parsed and validated, or the errors that refuse it (too large, invalid, not a subscription). */
export function subscriptionDocument(schema: GraphQLSchema, query: string, operationName: string | null | undefined): DocumentNode | GraphQLError[] {
  const tooLarge = documentTooLarge(query);
  if (tooLarge) return [asGraphQLError(new DomainError(ErrorCode.QUERY_TOO_COMPLEX, tooLarge))];
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return [asGraphQLError(error)];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return [...invalid];
  const operation = getOperationAST(document, operationName);
  if (!operation) return [new GraphQLError('Name the operation to run: the document holds several')];
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return [new GraphQLError('Only subscriptions are served over the WebSocket; send queries and mutations over HTTP')];
  }
  return document;
}

/** At most this many distinct documents are kept compiled; clients send the same few. */
const COMPILED_LIMIT = 200;

/**
 * Documents run compiled (graphql-jit), which halves the work of an execution: each event is executed once per
 * subscriber, and the portal sends the same few queries. A document is compiled once it has been seen `after` times
 * (one sent once is not worth compiling); until then, and for a document graphql-jit cannot compile, null comes back:
 * run it through graphql's execute.
 */
export function compiledDocuments(schema: GraphQLSchema, after = 0): (query: string, args: ExecutionArgs) => CompiledQuery | null {
  const compiled = new Map<string, CompiledQuery | null | number>();
  return (query, args) => {
    const key = `${args.operationName ?? ''}\u0000${query}`;
    const entry = compiled.get(key);
    if (entry === null || (entry !== undefined && typeof entry !== 'number')) return entry;
    const seen = entry ?? 0;
    if (entry === undefined && compiled.size >= COMPILED_LIMIT) compiled.clear();
    if (seen < after) {
      compiled.set(key, seen + 1);
      return null;
    }
    const result = compileQuery(schema, args.document, args.operationName ?? undefined);
    const program = isCompiledQuery(result) ? result : null;
    compiled.set(key, program);
    return program;
  };
}

/**
 * One event reaches every subscriber of this process as the same object; their executions share its loaders, so
 * that a thousand subscribers cost one read of the changed number, not a thousand.
 */
export function eventLoaderSharing(): (event: unknown) => LoaderCache {
  const eventLoaders = slot<object, LoaderCache>('event loaders');
  return (event) => {
    if (typeof event !== 'object' || event === null) return new Map();
    let loaders = eventLoaders.get(event);
    if (!loaders) eventLoaders.set(event, (loaders = new Map()));
    return loaders;
  };
}

/** A company's events reach only a socket whose principal still holds it (grants are revoked while sockets stay open). */
export function admittedBy(socketContext: Context): (event: unknown) => boolean {
  return (event) => {
    const companyId = (event as Partial<CabinetEvent> | null)?.companyId;
    const principal = socketContext.principal;
    return typeof companyId !== 'number' || (principal.kind !== 'anonymous' && principal.companyIds.has(companyId));
  };
}

/** How long an event's result is tried again while the database cannot answer it, and the pauses between tries. */
export const EVENT_RETRY = { forMs: 60_000, firstPauseMs: 100, longestPauseMs: 2000 };

/** Whether a result failed only because the database could not be reached or had no connection free in time. */
function unavailableOnly(result: ExecutionResult): boolean {
  return (result.errors?.length ?? 0) > 0 && result.errors!.every((error) => knownCodeOf(error.originalError ?? error) === ErrorCode.SERVICE_UNAVAILABLE);
}

/**
 * graphql-js's mapping of source events to results, but with a result function per event (its own context);
 * the first event `admits` refuses ends the subscription (graphql-ws then sends `complete`). A domain error of the
 * source (CURSOR_EXPIRED for a subscriber that fell behind the log's retention) comes as a last result with that error.
 *
 * An event is in the log whatever happens to its delivery, so a result that failed only for want of the database
 * (an overloaded pool, a failover) is tried again, with growing pauses, for up to `EVENT_RETRY.forMs`: under
 * overload an event comes late rather than as an error in its place; the events after it wait, in order. `run` is
 * told the attempt, so that a retry does not reuse what the failed one loaded.
 */
export function mapEvents(
  source: AsyncIterator<unknown>,
  admits: (event: unknown) => boolean,
  run: (event: unknown, attempt: number) => ExecutionResult | Promise<ExecutionResult>,
  retry = EVENT_RETRY,
): AsyncIterableIterator<ExecutionResult> {
  let finished = false;
  const settle = async (event: unknown): Promise<ExecutionResult> => {
    const giveUpAt = Date.now() + retry.forMs;
    let pause = retry.firstPauseMs;
    for (let attempt = 0; ; attempt++) {
      const result = await run(event, attempt);
      if (!unavailableOnly(result) || finished || Date.now() + pause > giveUpAt) return result;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, retry.longestPauseMs);
    }
  };
  const stop = async () => {
    finished = true;
    await source.return?.();
  };
  return {
    async next() {
      if (finished) return { value: undefined, done: true };
      let item: IteratorResult<unknown>;
      try {
        item = await source.next();
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await stop();
        return { value: { errors: [new GraphQLError(error.message, { originalError: error })] }, done: false };
      }
      if (item.done) return { value: undefined, done: true };
      if (!admits(item.value)) {
        await stop();
        return { value: undefined, done: true };
      }
      try {
        return { value: await settle(item.value), done: false };
      } catch (error) {
        await stop();
        throw error;
      }
    },
    async return() {
      await stop();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
