import type { BillingPort, BillingReads } from './billing.port';
import { createPostgresBilling, createPostgresBillingReads } from './billing.postgres';

/**
 * The billing system this gateway reads: the lines that name the adapter. Operations reach the same system through
 * the `BillingSystem` the worker is given, built by `createBilling`.
 */
export const billing: BillingReads = createPostgresBillingReads();

/** The billing system whole, carrying out operations after `delayMs`: what the operations worker is given. */
export const createBilling = (delayMs: number): BillingPort => createPostgresBilling(delayMs);
