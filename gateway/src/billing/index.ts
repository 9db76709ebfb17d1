export { billing } from './billing.adapter';
export {
  SANDBOX_FAILING_POSITIONS,
  SANDBOX_FLEET_SIZE,
  SANDBOX_REFUSED_CARD,
  SANDBOX_STOCK_CARDS,
  sandboxes,
  sandboxIccid,
  sandboxMsisdn,
  type SandboxRow,
} from './billing.sandbox';
// What the domains take from the billing port by name: the rows it returns.
export type {
  AccountRow,
  AllowanceRow,
  CompanyRow,
  NumberFactsRow,
  NumberRow,
  NumberServiceKey,
  NumberServiceRow,
  PaymentFacts,
  PaymentRow,
  ServiceRow,
  SimCardRow,
  TariffRow,
  UsageRow,
} from './billing.port';
export { BILLING_FAILURES, failureText } from './billing.failures';
