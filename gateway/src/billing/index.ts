export { billing } from './billing.adapter';
export { accountById, numberPartLoader, tariffById } from './billing.loaders';
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
// What the domains take from the billing port by name: the rows it returns, the arguments of its paged and
// document reads, the values of its enumerated columns, and the operations it carries out.
export type {
  AccountRow,
  AllowanceRow,
  CompanyRow,
  NumberFactsRow,
  NumberRow,
  NumberServiceKey,
  NumberServiceRow,
  NumberWithAccountRow,
  PaymentFacts,
  PaymentRow,
  ServiceRow,
  SimCardRow,
  TariffRow,
  UsageRow,
} from './billing.port';
export type { CreditPaymentPageArgs, DocumentSubjectKey, PaymentPageArgs, UsagePageArgs } from './billing.port';
export type { AdjustmentReason, ChargeKind, ForwardingCondition, NumberState, PaymentChannel } from './billing.port';
export { BillingRejected, type BillingOperation, type BillingResult, type BillingSystem } from './billing.port';
export type { ChargeLine } from './billing.charges';
export { BILLING_FAILURE_CODES, BILLING_FAILURES, failureCodeOf, failureText, type BillingFailureCode } from './billing.failures';
// ICCIDs and IMEIs end in a Luhn check digit: the operations check the ones they are given, the operator's tools
// also complete new ICCIDs with it.
export { isLuhnValid, luhnCheckDigit } from './luhn';
