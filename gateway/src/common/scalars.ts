import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from '../core/errors';

const MONEY = /^-?\d{1,16}(\.\d{1,2})?$/;

/** Tiyn (1/100 tenge) as bigint ⇄ decimal string with two digits, never a float. */
export function formatMoney(tiyn: bigint): string {
  const negative = tiyn < 0n;
  const abs = negative ? -tiyn : tiyn;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export function parseMoney(text: string): bigint {
  if (!MONEY.test(text)) throw new BadUserInputError('money', `"${text}" is not an amount of tenge with at most two decimals`);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const tiyn = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return negative ? -tiyn : tiyn;
}

export const MoneyScalar = new GraphQLScalarType<bigint, string>({
  name: 'Money',
  description: 'An amount of Kazakhstani tenge (₸) as a decimal string with two fraction digits, e.g. "9793.33". Exact: never a float.',
  serialize: (value) => {
    if (typeof value !== 'bigint') throw new TypeError('Money must be a bigint of tiyn');
    return formatMoney(value);
  },
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('Money must be a string such as "100.50"');
    return parseMoney(value);
  },
  parseLiteral: (ast) => {
    // A GraphQLError, not a TypeError: validation reports it as the client's mistake, not a masked failure.
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Money must be a string such as "100.50"', { nodes: ast });
    return parseMoney(ast.value);
  },
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD naming a day of the calendar: 2025-02-30 is refused, not rolled over to March. */
export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value) || value < '0001-01-01') return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date in Asia/Almaty, ISO 8601 (YYYY-MM-DD).',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string' && DATE.test(value)) return value;
    throw new TypeError('Date must be YYYY-MM-DD');
  },
  parseValue: (value) => {
    if (typeof value === 'string' && isCalendarDate(value)) return value;
    throw new GraphQLError('Date must be a valid date as YYYY-MM-DD');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING && isCalendarDate(ast.value)) return ast.value;
    throw new GraphQLError('Date must be a valid date as YYYY-MM-DD', { nodes: ast });
  },
});
