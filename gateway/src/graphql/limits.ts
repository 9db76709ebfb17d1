import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, QUERY_LIMITS } from '@cabinet/schema/rules';

export interface QueryAnalysis {
  cost: number;
  depth: number;
  aliases: number;
  rootFields: number;
}

export interface AnalyzeOptions {
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  /** The most one query may cost, for sessions and keys alike (a key's budget is charged on top of it). */
  maxCost: number;
}

export interface LimitViolation {
  code: 'QUERY_TOO_COMPLEX';
  message: string;
}

export const DEFAULT_LIMITS: Readonly<QueryLimits> = QUERY_LIMITS;

/**
 * Measures the selected operation of a (validated) document.
 *
 * **Cost** is 1 for the query plus, for every selected field that returns an object or a list of
 * objects, the product of the `first` of the connections enclosing it (1 outside any connection).
 * A connection is a field whose type is named `…Connection`; its `first` is the literal or the
 * variable's value, 50 when absent or null, at most 100. Scalar fields cost nothing, nor do a
 * connection's own `edges` and `pageInfo` (they come with the connection); `node` is an item
 * and costs like any object. Lists that are not connections (e.g. `bonuses`) count once.
 *
 * Example: `numbers(companyId: $c, first: 50) { edges { node { tariff { name } simCard { iccid } } } }`
 * costs 1 (query) + 1 (`numbers`) + 50 × (1 `node` + 1 `tariff` + 1 `simCard`) = 152.
 * Adding `usage(first: 100) { edges { node { cost } } }` inside that `node` adds
 * 50 × (1 `usage` + 100 × 1 `node`) = 5050, for 5202 in all.
 *
 * **Depth** is the longest chain of nested fields, every field counting one (`edges` and `node`
 * included): `{ number(id: $id) { tariff { name } } }` is 3 deep.
 * **Aliases** counts the fields that carry an alias; **rootFields** the fields selected on the
 * root type. Fields are merged by response key as execution merges them, so a field selected twice
 * in one place counts once, while a fragment spread in two places counts twice.
 *
 * Introspection (`__schema`, `__type`, `__typename` and what lies under them) costs nothing and
 * adds no depth: graphql-js validation (`MaxIntrospectionDepthRule`) already bounds it.
 * `@skip` and `@include` are honoured when `if` is a literal or a variable with a known value
 * (given, or defaulted in the operation); otherwise the field is counted.
 * When no operation can be selected, the analysis is all zeros and execution reports the error.
 */
export function analyzeQuery(schema: GraphQLSchema, document: DocumentNode, options: AnalyzeOptions): QueryAnalysis {
  const operation = getOperationAST(document, options.operationName ?? undefined);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) return { cost: 0, depth: 0, aliases: 0, rootFields: 0 };

  const variables = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variables.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  for (const [name, value] of Object.entries(options.variables ?? {})) {
    if (value !== undefined) variables.set(name, value);
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const walk: Walk = { schema, fragments, variables, memo: new Map(), ids: new Map() };
  const fields = collect(walk, [{ selectionSet: operation.selectionSet, type: rootType }]);
  const analysis = { cost: 1, depth: 0, aliases: 0, rootFields: fields.length };
  for (const field of fields) {
    const measured = measure(walk, field);
    analysis.cost += measured.cost;
    analysis.depth = Math.max(analysis.depth, measured.depth);
    analysis.aliases += measured.aliases;
  }
  return analysis;
}

/**
 * What of the variables an analysis reads, and nothing else: a connection's page size, and the condition of the
 * directives that leave a field out (`pageSize`, `isIncluded`, and the inputs `analyzeQueryOnce` keeps analyses by).
 */
const PAGE_SIZE_ARGUMENT = 'first';
const CONDITION_ARGUMENT = 'if';
const CONDITION_DIRECTIVES = new Set(['skip', 'include']);

/** The variables an analysis of the document reads: those given to a page size or to the condition of `@skip`/`@include`. */
function variablesRead(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node, _key, _parent, _path, ancestors) {
      if (node.value.kind !== Kind.VARIABLE) return;
      // The argument's parent is the list of arguments; the field or directive holding it comes before.
      const owner = ancestors.at(-1);
      const directive = owner && 'kind' in owner && owner.kind === Kind.DIRECTIVE ? owner.name.value : null;
      if (directive ? CONDITION_DIRECTIVES.has(directive) && node.name.value === CONDITION_ARGUMENT : node.name.value === PAGE_SIZE_ARGUMENT) {
        names.add(node.value.name.value);
      }
    },
  });
  return [...names];
}

/** How many analyses of one document are kept: one per operation and page sizes a client sends it with. */
const ANALYSES_PER_DOCUMENT = 16;
const analyses = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, { reads: string[]; byInput: Map<string, QueryAnalysis> }>>();

/**
 * `analyzeQuery` kept per parsed document, which both engines reuse for the same query text: the analysis depends on
 * the operation and on the values of the variables it reads, so a page asked for again with them is not walked again.
 */
export function analyzeQueryOnce(schema: GraphQLSchema, document: DocumentNode, options: AnalyzeOptions): QueryAnalysis {
  let documents = analyses.get(schema);
  if (!documents) analyses.set(schema, (documents = new WeakMap()));
  let known = documents.get(document);
  if (!known) documents.set(document, (known = { reads: variablesRead(document), byInput: new Map() }));
  // A variable given as null replaces its default and an absent one does not: [value] tells them apart.
  const input = JSON.stringify([
    options.operationName ?? null,
    ...known.reads.map((name) => (options.variables?.[name] === undefined ? 0 : [options.variables[name]])),
  ]);
  let analysis = known.byInput.get(input);
  if (!analysis) {
    analysis = analyzeQuery(schema, document, options);
    if (known.byInput.size < ANALYSES_PER_DOCUMENT) known.byInput.set(input, analysis);
  }
  return analysis;
}

/** The first limit the analysis exceeds, as a `QUERY_TOO_COMPLEX` error, or null. */
export function checkLimits(analysis: QueryAnalysis, limits: QueryLimits): LimitViolation | null {
  if (analysis.depth > limits.maxDepth) {
    return tooComplex(`Query depth ${analysis.depth} exceeds the maximum of ${limits.maxDepth}`);
  }
  if (analysis.aliases > limits.maxAliases) {
    return tooComplex(`Query uses ${analysis.aliases} aliases, more than the maximum of ${limits.maxAliases}`);
  }
  if (analysis.cost > limits.maxCost) {
    return tooComplex(`Query cost ${analysis.cost} exceeds the maximum of ${limits.maxCost}`);
  }
  return null;
}

function tooComplex(message: string): LimitViolation {
  return { code: 'QUERY_TOO_COMPLEX', message };
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Map<string, unknown>;
  /** Results per merged field, so that fragments spread many times are measured once. */
  memo: Map<string, Measured | 'measuring'>;
  ids: Map<FieldNode, number>;
}

interface Selected {
  node: FieldNode;
  type: GraphQLCompositeType;
}

/** A field's figures with no connection around it; an enclosing connection multiplies `cost`. */
interface Measured {
  cost: number;
  depth: number;
  aliases: number;
}

/** Groups the fields of selection sets by parent type and response key, as execution does. */
function collect(walk: Walk, sets: readonly { selectionSet: SelectionSetNode; type: GraphQLCompositeType }[]): Selected[][] {
  const groups = new Map<string, Selected[]>();
  const expanded = new Set<string>();
  const visit = (selectionSet: SelectionSetNode, type: GraphQLCompositeType): void => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, walk.variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = `${type.name}.${(selection.alias ?? selection.name).value}`;
        const group = groups.get(key);
        if (group) group.push({ node: selection, type });
        else groups.set(key, [{ node: selection, type }]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, conditionType(walk.schema, selection.typeCondition?.name.value, type));
      } else {
        const fragment = walk.fragments.get(selection.name.value);
        if (!fragment || expanded.has(fragment.name.value)) continue;
        expanded.add(fragment.name.value);
        visit(fragment.selectionSet, conditionType(walk.schema, fragment.typeCondition.name.value, type));
      }
    }
  };
  for (const { selectionSet, type } of sets) visit(selectionSet, type);
  return [...groups.values()];
}

function measure(walk: Walk, field: Selected[]): Measured {
  const key = field.map(({ node, type }) => `${idOf(walk, node)}:${type.name}`).join(',');
  const known = walk.memo.get(key);
  if (known === 'measuring') return { cost: 0, depth: 0, aliases: 0 };
  if (known) return known;
  walk.memo.set(key, 'measuring');

  const { node, type } = field[0];
  const name = node.name.value;
  const definition = fieldDefinition(type, name);
  const returnType = definition && getNamedType(definition.type);
  const introspection = name.startsWith('__') || isIntrospectionType(type);
  const aliases = field.some((selected) => selected.node.alias) ? 1 : 0;
  if (!returnType || !isCompositeType(returnType)) {
    const leaf = { cost: 0, depth: introspection ? 0 : 1, aliases };
    walk.memo.set(key, leaf);
    return leaf;
  }

  const sets = field.flatMap(({ node: { selectionSet } }) => (selectionSet ? [{ selectionSet, type: returnType }] : []));
  let inner = 0;
  let depth = 0;
  let innerAliases = 0;
  for (const child of collect(walk, sets)) {
    const measured = measure(walk, child);
    inner += measured.cost;
    depth = Math.max(depth, measured.depth);
    innerAliases += measured.aliases;
  }
  const own = introspection || isConnection(type) ? 0 : 1;
  const multiplier = isConnection(returnType) ? Math.max(...field.map(({ node }) => pageSize(node, walk.variables))) : 1;
  const result = {
    cost: introspection ? 0 : own + multiplier * inner,
    depth: introspection ? 0 : depth + 1,
    aliases: aliases + innerAliases,
  };
  walk.memo.set(key, result);
  return result;
}

function idOf(walk: Walk, node: FieldNode): number {
  let id = walk.ids.get(node);
  if (id === undefined) {
    id = walk.ids.size;
    walk.ids.set(node, id);
  }
  return id;
}

function fieldDefinition(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function conditionType(schema: GraphQLSchema, name: string | undefined, parent: GraphQLCompositeType): GraphQLCompositeType {
  const type = name === undefined ? undefined : schema.getType(name);
  return type && isCompositeType(type) ? type : parent;
}

function isConnection(type: GraphQLCompositeType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection');
}

function pageSize(node: FieldNode, variables: Map<string, unknown>): number {
  const first = node.arguments?.find((argument) => argument.name.value === PAGE_SIZE_ARGUMENT)?.value;
  let value: unknown;
  if (first?.kind === Kind.INT) value = Number(first.value);
  else if (first?.kind === Kind.VARIABLE) value = variables.get(first.name.value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.ceil(value)));
}

function isIncluded(selection: SelectionNode, variables: Map<string, unknown>): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (!CONDITION_DIRECTIVES.has(name)) continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === CONDITION_ARGUMENT)?.value;
    let value: unknown;
    if (condition?.kind === Kind.BOOLEAN) value = condition.value;
    else if (condition?.kind === Kind.VARIABLE) value = variables.get(condition.name.value);
    if (typeof value !== 'boolean') continue;
    if (name === 'skip' ? value : !value) return false;
  }
  return true;
}
