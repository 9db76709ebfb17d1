import { Kind, visit, type ASTNode, type DocumentNode } from 'graphql';
import { BadUserInputError } from '../core/errors';

import { hasControlCharacters } from '../core/text';

function controlled(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return hasControlCharacters(value);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((inner) => controlled(inner, depth + 1));
}

function nameOf(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i] as ASTNode;
    if ('kind' in node && (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD)) return node.name.value;
  }
  return 'query';
}

/** The argument whose literal string holds a control character, 'query' outside any, or null when none does. */
function controlledLiteral(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (found === null && hasControlCharacters(node.value)) found = nameOf(parent ? [...ancestors, parent] : ancestors);
    },
  });
  return found;
}

/** Each parsed document's finding, which both engines reuse for the same query text: a document is walked once. */
const literals = new WeakMap<DocumentNode, string | null>();

/** Refuses, as BAD_USER_INPUT naming the argument or variable, any string of the request holding a control character. */
export function refuseControlCharacters(document: DocumentNode, variables: Record<string, unknown> | null | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (controlled(value)) throw new BadUserInputError(name, `$${name} holds a control character`);
  }
  let name = literals.get(document);
  if (name === undefined) literals.set(document, (name = controlledLiteral(document)));
  if (name !== null) throw new BadUserInputError(name, `${name} holds a control character`);
}
