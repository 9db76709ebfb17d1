import { apiError } from '@cabinet/kit';
import { loginProblem } from './useLogin';

const graphQLError = (code: string, extensions: Record<string, unknown> = {}) =>
  apiError({ graphQLErrors: [{ message: 'x', extensions: { code, ...extensions } }] });

describe('loginProblem', () => {
  it('gives one generic answer to a wrong phone or password', () => {
    expect(loginProblem(graphQLError('INVALID_CREDENTIALS'))).toEqual({ kind: 'invalid' });
    expect(loginProblem(graphQLError('BAD_USER_INPUT', { field: 'password' }))).toEqual({ kind: 'invalid' });
  });

  it('says how long to wait when rate limited', () => {
    expect(loginProblem(graphQLError('RATE_LIMITED', { retryAfterSeconds: 61 }))).toEqual({ kind: 'rate-limited', seconds: 61 });
    expect(loginProblem(graphQLError('RATE_LIMITED', { retryAfterSeconds: 1 }))).toEqual({ kind: 'rate-limited', seconds: 1 });
  });

  it('points at a malformed phone', () => {
    expect(loginProblem(graphQLError('BAD_USER_INPUT', { field: 'phone' }))).toEqual({ kind: 'phone' });
  });

  it('reports an unreachable gateway as a network error', () => {
    expect(loginProblem(apiError({ networkError: new Error('fetch failed') }))).toEqual({ kind: 'other', code: 'NETWORK_ERROR' });
  });
});
