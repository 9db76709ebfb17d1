import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ERRORS, ErrorCode, httpStatusOf, isDocumentError } from './errors';

const README = resolve(__dirname, '..', '..', '..', 'schema', 'README.md');

/** The rows of the "Error codes" table: code → its HTTP status column. */
function documentedCodes(): Map<string, string> {
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)) rows.set(match[1], match[2].trim());
  return rows;
}

describe('the error registry', () => {
  it('holds exactly the codes schema/README.md lists', () => {
    const documented = [...documentedCodes().keys()].sort();
    expect(documented.length).toBeGreaterThan(0);
    expect(Object.keys(ERRORS).sort()).toEqual(documented);
  });

  it('gives every code the HTTP status schema/README.md documents for it', () => {
    const mismatched = [...documentedCodes()].filter(([code, column]) => {
      const status = (ERRORS as Record<string, { status?: number }>)[code]?.status;
      return status === undefined ? column !== '200' : !new RegExp(`\\b${status}\\b`).test(column);
    });
    expect(mismatched).toEqual([]);
  });

  it('names each code by itself', () => {
    expect(Object.entries(ErrorCode).filter(([key, value]) => key !== value)).toEqual([]);
    expect(Object.isFrozen(ErrorCode)).toBe(true);
  });

  it('answers 400 for a code with no status of its own and 500 for a code it does not know', () => {
    expect(httpStatusOf(ErrorCode.CONFLICT)).toBe(400);
    expect(httpStatusOf(ErrorCode.DOWNLOAD_EXPIRED)).toBe(410);
    expect(httpStatusOf('NO_SUCH_CODE')).toBe(500);
    expect(httpStatusOf('toString')).toBe(500);
  });

  it('counts parse, validation and variable errors as the document’s', () => {
    expect(Object.keys(ERRORS).filter(isDocumentError).sort()).toEqual([ErrorCode.BAD_USER_INPUT, ErrorCode.GRAPHQL_PARSE_FAILED, ErrorCode.GRAPHQL_VALIDATION_FAILED]);
  });
});
