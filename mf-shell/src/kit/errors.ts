import type { ApolloError } from '@apollo/client/core';

/** The first GraphQL error of a failed request, as the gateway's error registry describes it. */
export interface ApiError {
  code: string;
  message: string;
  field?: string;
  reason?: string;
  retryAfterSeconds?: number;
  attemptsLeft?: number;
}

function fromExtensions(extensions: Record<string, unknown>, message: string): ApiError {
  return {
    code: typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR',
    message,
    field: typeof extensions.field === 'string' ? extensions.field : undefined,
    reason: typeof extensions.reason === 'string' ? extensions.reason : undefined,
    retryAfterSeconds: typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : undefined,
    attemptsLeft: typeof extensions.attemptsLeft === 'number' ? extensions.attemptsLeft : undefined,
  };
}

/**
 * Reads the stable code (and its details) out of an Apollo error; NETWORK_ERROR when the gateway was not reached.
 * Answers with an HTTP error status (429 RATE_LIMITED) reach Apollo as network errors whose body holds the error.
 */
export function apiError(error: unknown): ApiError {
  const apollo = error as Partial<ApolloError> | undefined;
  const first = apollo?.graphQLErrors?.[0];
  if (first) return fromExtensions((first.extensions ?? {}) as Record<string, unknown>, first.message);
  const network = apollo?.networkError as { result?: { errors?: { message?: string; extensions?: Record<string, unknown> }[] } } | null | undefined;
  const answered = network?.result?.errors?.[0];
  if (answered?.extensions?.code) return fromExtensions(answered.extensions, answered.message ?? '');
  return { code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) };
}
