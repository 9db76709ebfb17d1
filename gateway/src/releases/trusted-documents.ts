import { createHash } from 'node:crypto';
import { Kind, parse, print, visit, type FieldNode, type SelectionSetNode } from 'graphql';
import type { SqlRunner } from '../core/db';
import { ReleaseError } from './release.manifest';

/** A document's id as the GraphQL-over-HTTP persisted documents appendix (and codegen) write it. */
export const DOCUMENT_HASH = /^sha256:[0-9a-f]{64}$/;
const MAX_DOCUMENTS = 2000;
const MAX_DOCUMENT_CHARACTERS = 64 * 1024;

export const documentHash = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * The document as the kit's Apollo client asks for it: `__typename` in every selection set but an operation's
 * root, which its normalized cache needs to identify objects. Codegen hashes the document without them; the
 * gateway executes it with them, so the answer has the shape the page's cache expects.
 */
export function withTypenames(text: string): string {
  const document = parse(text, { noLocation: true });
  return print(
    visit(document, {
      SelectionSet(node: SelectionSetNode, _key, parent) {
        if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename')) return undefined;
        return { ...node, selections: [...node.selections, TYPENAME] };
      },
    }),
  );
}

/**
 * Reads a release's documents file (`{ "sha256:…": "query …" }`): every hash must be that of its text, and every
 * text one GraphQL document. Returns the texts to execute, by hash.
 */
export function parseDocuments(content: Buffer): Map<string, string> {
  let listed: unknown;
  try {
    listed = JSON.parse(content.toString('utf8'));
  } catch {
    throw new ReleaseError('BAD_MANIFEST', 'the documents file is not JSON');
  }
  if (typeof listed !== 'object' || listed === null || Array.isArray(listed))
    throw new ReleaseError('BAD_MANIFEST', 'the documents file must map hashes to documents');
  const entries = Object.entries(listed as Record<string, unknown>);
  if (entries.length > MAX_DOCUMENTS) throw new ReleaseError('BAD_MANIFEST', `a release may bring at most ${MAX_DOCUMENTS} documents`);
  const documents = new Map<string, string>();
  for (const [hash, text] of entries) {
    if (!DOCUMENT_HASH.test(hash) || typeof text !== 'string' || text.length > MAX_DOCUMENT_CHARACTERS || documentHash(text) !== hash) {
      throw new ReleaseError('BAD_MANIFEST', `the document ${JSON.stringify(hash.slice(0, 80))} does not match its hash`);
    }
    try {
      documents.set(hash, withTypenames(text));
    } catch (error) {
      throw new ReleaseError('BAD_MANIFEST', `the document ${hash} does not parse: ${(error as Error).message}`);
    }
  }
  return documents;
}

/** Records a release's documents; a hash already known keeps its text and first release. */
export async function storeDocuments(db: SqlRunner, releaseId: string, documents: ReadonlyMap<string, string>): Promise<void> {
  if (documents.size === 0) return;
  await db.query(
    `INSERT INTO cabinet.trusted_documents (hash, document, release_id)
     SELECT hash, document, $3 FROM unnest($1::text[], $2::text[]) AS d(hash, document)
     ON CONFLICT (hash) DO NOTHING`,
    [[...documents.keys()], [...documents.values()], releaseId],
  );
}

const REMEMBERED = 4000;

/**
 * The documents of every release ever published, by hash: a page of an older release still open keeps working.
 * A hash names one text for ever, so what was read once is kept (up to a bound).
 */
export class TrustedDocuments {
  private readonly known = new Map<string, string>();

  constructor(private readonly db: SqlRunner) {}

  async get(hash: string): Promise<string | null> {
    if (!DOCUMENT_HASH.test(hash)) return null;
    const cached = this.known.get(hash);
    if (cached !== undefined) return cached;
    const [row]: { document: string }[] = await this.db.query(`SELECT document FROM cabinet.trusted_documents WHERE hash = $1`, [hash]);
    if (!row) return null;
    if (this.known.size >= REMEMBERED) this.known.clear();
    this.known.set(hash, row.document);
    return row.document;
  }
}

/** `extensions.persistedQuery.sha256Hash` of a request or subscription, as Apollo Client and graphql-ws send it. */
export function persistedHashOf(extensions: unknown): string | undefined {
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}
