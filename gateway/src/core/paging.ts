import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@cabinet/schema/rules';
import { BadUserInputError } from './errors';
import { hasControlCharacters } from './text';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

export interface PageInfoData {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Page<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfoData;
}

export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** What each part of a list's cursor holds: a sort key's text, a timestamp (ISO 8601, UTC) or a bigint id. */
export type CursorPart = 'text' | 'timestamp' | 'bigint';

const MAX_BIGINT = 9223372036854775807n;
const CURSOR_PART: Record<CursorPart, (value: unknown) => boolean> = {
  text: (value) => typeof value === 'string' && value.length <= 200 && !hasControlCharacters(value),
  timestamp: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && isRealInstant(value),
  bigint: (value) => typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT,
};

function isRealInstant(iso: string): boolean {
  const time = Date.parse(iso);
  return !Number.isNaN(time) && new Date(time).toISOString() === iso;
}

/** Decodes a cursor made by `encodeCursor` whose parts have the list's shape, or refuses the argument. */
export function decodeCursor(cursor: string, shape: readonly CursorPart[], argument = 'after'): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(parts) && parts.length === shape.length && parts.every((p, i) => CURSOR_PART[shape[i]](p))) {
      return parts as string[];
    }
  } catch {
    // falls through to the refusal below
  }
  throw new BadUserInputError(argument, `${argument} is not a cursor of this list`);
}

/** The cursor of an `after` argument, or null when the client sent none (absent or null: the first page). */
export function decodeAfter(after: string | null | undefined, shape: readonly CursorPart[]): string[] | null {
  return after === null || after === undefined ? null : decodeCursor(after, shape);
}

export function checkPageSize(first: number | undefined, argument = 'first'): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(argument, `${argument} must be from 1 to ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/**
 * An edge whose cursor is encoded when it is read: a page's query asks for `pageInfo.endCursor` far more often than
 * for each edge's, and the encoding (JSON, then base64url) was a string, a buffer and another string per row.
 */
class Edge<R, T> {
  readonly #row: R;
  readonly #cursor: (row: R) => string;

  constructor(
    readonly node: T,
    row: R,
    cursor: (row: R) => string,
  ) {
    this.#row = row;
    this.#cursor = cursor;
  }

  get cursor(): string {
    return this.#cursor(this.#row);
  }

  /** This edge with another node, its cursor still encoded when read (a spread would copy no getter). */
  withNode<U>(node: U): Edge<R, U> {
    return new Edge(node, this.#row, this.#cursor);
  }
}

/** A page whose nodes are mapped, say from rows to the API's objects: the cursors and page info stay as they were. */
export function mapNodes<T, U>(page: Page<T>, node: (value: T) => U): Page<U> {
  return {
    pageInfo: page.pageInfo,
    edges: page.edges.map((edge) => (edge instanceof Edge ? edge.withNode(node(edge.node)) : { cursor: edge.cursor, node: node(edge.node) })),
  };
}

/** Builds a page from `size + 1` fetched rows: the extra row only says that more follow. */
export function toPage<R, T>(rows: R[], size: number, after: boolean, node: (row: R) => T, cursor: (row: R) => string): Page<T> {
  const hasNextPage = rows.length > size;
  const edges: Page<T>['edges'] = rows.slice(0, size).map((row) => new Edge(node(row), row, cursor));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The (created_at, id) cursor of a newest-first list, or null for its first page. */
export function decodeNewestFirst(after: string | null | undefined): [string, string] | null {
  return decodeAfter(after, ['timestamp', 'bigint']) as [string, string] | null;
}

/** A newest-first page of rows keyed by (created_at, id), from `size + 1` fetched rows. */
export function newestFirstPage<R extends { createdAt: Date; id: string }, T>(
  rows: R[],
  size: number,
  cursor: [string, string] | null,
  node: (row: R) => T,
): Page<T> {
  return toPage(rows, size, cursor !== null, node, (row) => encodeCursor([new Date(row.createdAt).toISOString(), row.id]));
}
