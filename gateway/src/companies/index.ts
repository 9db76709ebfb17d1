export { AccountResolver, CompanyResolver, PageArgs } from './company.resolver';
export { companyService } from './company.service';
export { AccountType, CompanyType, PaymentMethod } from './company.type';
