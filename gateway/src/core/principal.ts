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
    }
  | { kind: 'apiKey'; apiKeyId: number; name: string; scope: ApiKeyScope; companyIds: ReadonlySet<number> };

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });
