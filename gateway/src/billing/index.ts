export { billing } from './billing.adapter';
