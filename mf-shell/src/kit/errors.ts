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

/** Reads the stable code (and its details) out of an Apollo error; NETWORK_ERROR when the gateway was not reached. */
export function apiError(error: unknown): ApiError {
  const apollo = error as Partial<ApolloError> | undefined;
  const first = apollo?.graphQLErrors?.[0];
  if (first) {
    const extensions = (first.extensions ?? {}) as Record<string, unknown>;
    return {
      code: typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR',
      message: first.message,
      field: typeof extensions.field === 'string' ? extensions.field : undefined,
      reason: typeof extensions.reason === 'string' ? extensions.reason : undefined,
      retryAfterSeconds: typeof extensions.retryAfterSeconds === 'number' ? extensions.retryAfterSeconds : undefined,
      attemptsLeft: typeof extensions.attemptsLeft === 'number' ? extensions.attemptsLeft : undefined,
    };
  }
  const network = apollo?.networkError as { result?: { errors?: { extensions?: { code?: string } }[] } } | null | undefined;
  const code = network?.result?.errors?.[0]?.extensions?.code;
  return { code: code ?? 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) };
}
