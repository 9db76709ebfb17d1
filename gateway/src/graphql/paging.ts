import { BadUserInputError } from './errors';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

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

/** Decodes a cursor made by `encodeCursor` with the given part types, or refuses the argument. */
export function decodeCursor<T extends ('string' | 'number')[]>(cursor: string, shape: T, argument = 'after'): (string | number)[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(parts) && parts.length === shape.length && parts.every((p, i) => typeof p === shape[i])) {
      return parts as (string | number)[];
    }
  } catch {
    // falls through to the refusal below
  }
  throw new BadUserInputError(argument, `${argument} is not a cursor of this list`);
}

/** The cursor of an `after` argument, or null when the client sent none (absent or null: the first page). */
export function decodeAfter<T extends ('string' | 'number')[]>(after: string | null | undefined, shape: T): (string | number)[] | null {
  return after === null || after === undefined ? null : decodeCursor(after, shape);
}

export function checkPageSize(first: number | undefined, argument = 'first'): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(argument, `${argument} must be from 1 to ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/** Builds a page from `size + 1` fetched rows: the extra row only says that more follow. */
export function toPage<R, T>(rows: R[], size: number, after: boolean, node: (row: R) => T, cursor: (row: R) => string): Page<T> {
  const hasNextPage = rows.length > size;
  const edges = rows.slice(0, size).map((row) => ({ node: node(row), cursor: cursor(row) }));
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
