export { NumberPaymentsResolver, PeriodPageArgs } from './payment.resolver';
export { paymentService } from './payment.service';
