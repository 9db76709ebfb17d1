export {
  BillingRejected,
  type UsagePageArgs,
  type CreditPaymentPageArgs,
  type PaymentPageArgs,
  type BillingOperation,
  type BillingResult,
  type BillingSystem,
  type DocumentSubjectKey,
} from './billing.port';
export { billing, createBilling } from './billing.adapter';
export {
  type AdjustmentReason,
  type ChargeKind,
  type LocalizedText,
  type PaymentChannel,
  type NumberState,
  type ForwardingCondition,
} from './billing.entities';
export { isLuhnValid, luhnCheckDigit } from './luhn';
export { BILLING_FAILURE_CODES, BILLING_FAILURES, failureCodeOf, failureText, type BillingFailureCode } from './billing.failures';
export { type ChargeLine } from './billing.charges';
