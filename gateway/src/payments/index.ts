export { CompanyPaymentsResolver, NumberPaymentsResolver, PeriodPageArgs } from './payment.resolver';
export { paymentService } from './payment.service';
export { PaymentKind } from './payment.type';
export { PAYMENT_FACT_COLUMNS, PAYMENT_FACT_JOINS, paymentText, type PaymentFacts } from './payment.text';
