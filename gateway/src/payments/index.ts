export { CompanyPaymentsResolver, NumberPaymentsResolver, PeriodPageArgs } from './payment.resolver';
export { paymentService } from './payment.service';
export { PaymentKind } from './payment.type';
export { paymentText, type PaymentFacts } from './payment.text';
