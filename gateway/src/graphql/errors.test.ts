import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DomainError, ERRORS, ErrorCode, httpStatusOf, isDatabaseUnavailable, isDocumentError, knownCodeOf } from '../core/errors';

const README = resolve(__dirname, '..', '..', '..', 'schema', 'README.md');

/** The rows of the "Error codes" table: code → its HTTP status column. */
function documentedCodes(): Map<string, string> {
  const readme = readFileSync(README, 'utf8');
  const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([A-Z_]+)` +\| ([^|]+) \|/gm)) rows.set(match[1], match[2].trim());
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

  it('counts parse, validation and variable errors, and an unknown document hash, as the document’s', () => {
    expect(Object.keys(ERRORS).filter(isDocumentError).sort()).toEqual([
      ErrorCode.BAD_USER_INPUT,
      ErrorCode.GRAPHQL_PARSE_FAILED,
      ErrorCode.GRAPHQL_VALIDATION_FAILED,
      ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    ]);
  });

  it('takes the driver’s errors of a database that cannot be reached now for SERVICE_UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const unavailable: unknown[] = [
      refused,
      Object.assign(new AggregateError([refused]), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('Query failed'), { driverError: Object.assign(new Error('the database system is shutting down'), { code: '57P03' }) }),
      Object.assign(new Error('Unexpected error value'), { thrownValue: refused }),
    ];
    expect(unavailable.filter((error) => knownCodeOf(error) !== ErrorCode.SERVICE_UNAVAILABLE)).toEqual([]);
  });

  it('leaves a wrong statement, a plain error and a domain error to their own codes', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(knownCodeOf(new Error('boom'))).toBeUndefined();
    expect(knownCodeOf(new DomainError(ErrorCode.CONFLICT, 'no'))).toBe(ErrorCode.CONFLICT);
  });
});
