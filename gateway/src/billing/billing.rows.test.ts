import { getMetadataArgsStorage } from 'typeorm';
import { PaymentMethod } from '../companies/company.type';
import { NumberState } from '../numbers/number.type';
import type { OperationKind } from '../operations/operation.catalogue';
import { PaymentKind } from '../payments/payment.type';
import { ServiceCategory } from '../services/service.type';
import { AllowanceKind, AllowanceUnit } from '../tariffs/tariff.type';
import { UsageDirection, UsageKind } from '../usage/usage.type';
import { AccountEntity, AllowanceEntity, NumberEntity, PaymentEntity, ServiceEntity, UsageRecordEntity } from './billing.entities';
import type { AccountRow, AllowanceRow, NumberRow, PaymentRow, ServiceRow, UsageRow } from './billing.port';
import type { BillingOperationKind } from './billing.port';

// The port's rows carry enumerated columns as the billing schema's strings, the domains publish them as GraphQL enums:
// both must name the same values, or a row would reach the API with a value its enum does not know.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<`${PaymentMethod}`, AccountRow['paymentMethod']>,
  Same<`${NumberState}`, NumberRow['state']>,
  Same<`${ServiceCategory}`, ServiceRow['category']>,
  Same<`${AllowanceKind}`, AllowanceRow['kind']>,
  Same<`${AllowanceUnit}`, AllowanceRow['unit']>,
  Same<`${UsageKind}`, UsageRow['type']>,
  Same<`${UsageDirection}`, UsageRow['direction']>,
  Same<`${PaymentKind}`, PaymentRow['type']>,
  Same<OperationKind, BillingOperationKind>,
] = [true, true, true, true, true, true, true, true, true];

const columnValues = (target: object, property: string): string[] => {
  const column = getMetadataArgsStorage().columns.find((c) => c.target === target && c.propertyName === property);
  return [...((column?.options.enum as string[] | undefined) ?? [])].sort();
};

describe('rows of the billing port', () => {
  it('have the same enumerated values as the domains’ enums', () => {
    expect(sameTypes.every(Boolean)).toBe(true);
    const pairs: [object, string, Record<string, string>][] = [
      [AccountEntity, 'paymentMethod', PaymentMethod],
      [NumberEntity, 'state', NumberState],
      [ServiceEntity, 'category', ServiceCategory],
      [AllowanceEntity, 'kind', AllowanceKind],
      [AllowanceEntity, 'unit', AllowanceUnit],
      [UsageRecordEntity, 'type', UsageKind],
      [UsageRecordEntity, 'direction', UsageDirection],
      [PaymentEntity, 'type', PaymentKind],
    ];
    for (const [entity, property, values] of pairs) {
      expect({ property, values: columnValues(entity, property) }).toEqual({ property, values: Object.values(values).sort() });
    }
  });
});
