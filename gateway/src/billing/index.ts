// What the domains take from the billing port by name: the rows it returns.
export type { AccountRow, AllowanceRow, CompanyRow, NumberRow, PaymentFacts, PaymentRow, ServiceRow, SimCardRow, TariffRow, UsageRow } from './billing.port';
