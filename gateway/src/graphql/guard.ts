import { Kind, type DocumentNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { apiKeyService } from '../api-keys/api-key.service';
import { UnauthenticatedError } from '../core/access';
import type { Context } from '../core/context';
import { DomainError, ErrorCode } from '../core/errors';
import { analyzeQueryOnce, checkLimits, DEFAULT_LIMITS } from './limits';
import { refuseControlCharacters } from './text';

/** What a partner sees in `extensions.cost` of every answer. */
export interface CostReport {
  requested: number;
  remaining: number;
  limit: number;
}

function asksForSchema(selections: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): boolean {
  return selections.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__schema' || selection.name.value === '__type';
    if (selection.kind === Kind.INLINE_FRAGMENT) return asksForSchema(selection.selectionSet, document, seen);
    if (seen.has(selection.name.value)) return false;
    seen.add(selection.name.value);
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && asksForSchema(fragment.selectionSet, document, seen);
  });
}

/**
 * Runs before execution on both engines: no control characters in any string, introspection only for
 * authenticated callers, depth, alias and cost limits for everyone, and for partner keys a charge against the key's budget.
 */
export async function guardOperation(
  ctx: Context,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): Promise<void> {
  refuseControlCharacters(document, variables);
  if (ctx.principal.kind === 'anonymous') {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.some((operation) => asksForSchema(operation.selectionSet, document))) throw new UnauthenticatedError();
  }
  const analysis = analyzeQueryOnce(schema, document, { operationName, variables });
  const violation = checkLimits(analysis, DEFAULT_LIMITS);
  if (violation) throw new DomainError(ErrorCode.QUERY_TOO_COMPLEX, violation.message, { cost: analysis.cost, depth: analysis.depth });
  if (ctx.principal.kind === 'apiKey') {
    const { remaining, limit } = await apiKeyService.charge(ctx, ctx.principal.apiKeyId, analysis.cost);
    ctx.cost = { requested: analysis.cost, remaining, limit };
  }
}
