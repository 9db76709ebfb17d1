import type { Language } from './language';

export type ApiKeyScope = 'READ' | 'OPERATE';

/** Who is calling: nobody, an administrator with a browser session, or a partner with an API key. */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'administrator';
      administratorId: number;
      sessionId: string;
      name: string;
      phone: string;
      language: Language;
      companyIds: ReadonlySet<number>;
      writeLsn?: WriteLsn;
    }
  | { kind: 'apiKey'; apiKeyId: number; name: string; scope: ApiKeyScope; companyIds: ReadonlySet<number>; writeLsn?: WriteLsn };

/**
 * The primary's WAL position (`pg_lsn` text, e.g. `0/3015FF0`) after the last change made through a session or key,
 * as its row said when the request looked it up; null when it never changed anything. With a standby for reads, the
 * caller's queries go to the primary until the standby has replayed past it.
 */
export type WriteLsn = string | null;

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });
