/** Usage details are kept for 90 days, today included (`usage`, `usageTotals` and the usage file). */
export const USAGE_WINDOW_DAYS = 90;
/** The invoice register spans at most a year of months. */
export const INVOICE_REGISTER_MAX_MONTHS = 12;
/** The reconciliation act reaches at most 12 months back from today. */
export const RECONCILIATION_WINDOW_MONTHS = 12;
/** The oldest year documents are kept for; bounds a year typed by mistake. */
export const FIRST_DOCUMENT_YEAR = 2000;

/** A list's page size (`first`) when the client gives none. */
export const DEFAULT_PAGE_SIZE = 50;
/** The most items one page of a list may hold. */
export const MAX_PAGE_SIZE = 100;

/** Every partner key may spend this many cost points, refilled evenly over an hour (GitHub-style). */
export const API_KEY_BUDGET: Readonly<{ points: number; refillSeconds: number }> = Object.freeze({ points: 5000, refillSeconds: 3600 });

/**
 * How deep a query may go, how many aliases it may use and how much one query may cost, for sessions and keys alike.
 * Sized on real pages: a full number profile with first pages of usage, payments and actions
 * costs 220 (420 with pages of 100) and is 6 deep; a 100-number list page with 5 nested objects
 * costs 602 and is 5 deep; 100 numbers × 100 usage records each costs 10 202 and is refused.
 */
export const QUERY_LIMITS: Readonly<{ maxDepth: number; maxAliases: number; maxCost: number }> = Object.freeze({ maxDepth: 12, maxAliases: 30, maxCost: 5000 });
