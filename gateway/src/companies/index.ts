export { AccountResolver, CompanyResolver, PageArgs } from './company.resolver';
export { companyService } from './company.service';
export { AccountType, CompanyType, PaymentMethod } from './company.type';
export { ApprovalPolicy, approvalPolicy, needsApproval, NO_APPROVALS, setApprovalPolicy } from './company.policy';
