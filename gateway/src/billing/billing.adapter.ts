import type { BillingReads } from './billing.port';
import { createPostgresBillingReads } from './billing.postgres';

/**
 * The billing system this gateway reads: the one line that names the adapter. Operations reach the same system
 * through the `BillingSystem` the worker is given.
 */
export const billing: BillingReads = createPostgresBillingReads();
