import { Lexer, Source, TokenKind } from 'graphql';

/** The portal's largest document is about 3 KB and 400 tokens; a partner's many times that still fits. */
export const MAX_DOCUMENT_CHARACTERS = 64 * 1024;
export const MAX_DOCUMENT_TOKENS = 5000;
const REMEMBERED = 1000;

const verdicts = new Map<string, string | null>();

function measure(query: string): string | null {
  if (query.length > MAX_DOCUMENT_CHARACTERS) return `The document is over ${MAX_DOCUMENT_CHARACTERS} characters`;
  const lexer = new Lexer(new Source(query));
  try {
    for (let tokens = 0; lexer.advance().kind !== TokenKind.EOF;) {
      if (++tokens > MAX_DOCUMENT_TOKENS) return `The document is over ${MAX_DOCUMENT_TOKENS} tokens`;
    }
  } catch {
    // a syntax error: the engine's parser reports it
  }
  return null;
}

/**
 * Why a document is too large to parse, or null. Checked before any parser runs: counting stops at the limit, and the
 * verdicts on the last documents seen are remembered, so a refused document costs nothing the next time.
 */
export function documentTooLarge(query: string): string | null {
  if (query.length > MAX_DOCUMENT_CHARACTERS) return `The document is over ${MAX_DOCUMENT_CHARACTERS} characters`;
  let verdict = verdicts.get(query);
  if (verdict === undefined) {
    verdict = measure(query);
    if (verdicts.size >= REMEMBERED) verdicts.clear();
    verdicts.set(query, verdict);
  }
  return verdict;
}
