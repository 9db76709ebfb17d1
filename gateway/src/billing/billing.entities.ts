import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

import type {
  AdjustmentReason,
  AllowanceKind,
  AllowanceUnit,
  ChargeKind,
  ForwardingCondition,
  LocalizedText,
  NumberState,
  PaymentChannel,
  PaymentMethod,
  PaymentType,
  ServiceCategory,
  UsageDirection,
  UsageType,
} from './billing.port';

/** The values of the `charge_kind` enum. */
export const CHARGE_KINDS: readonly ChargeKind[] = ['TARIFF_FEE', 'SERVICE_FEE', 'CALLS', 'SMS', 'DATA', 'ROAMING', 'OTHER'];

/** bigint columns come back from pg as strings; money stays a bigint end to end. */
const bigintTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};

@Entity({ schema: 'billing', name: 'companies' })
export class CompanyEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'char', length: 12, unique: true }) bin: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'parent_id', type: 'integer', nullable: true }) parentId: number | null;
}

@Entity({ schema: 'billing', name: 'accounts' })
export class AccountEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'company_id', type: 'integer' }) companyId: number;
  @ManyToOne(() => CompanyEntity) @JoinColumn({ name: 'company_id' }) company?: CompanyEntity;
  @Column({ name: 'account_no', type: 'varchar', length: 16, unique: true }) accountNo: string;
  @Column({ name: 'payment_method', type: 'enum', enum: ['ADVANCE', 'CREDIT'], enumName: 'payment_method' })
  paymentMethod: PaymentMethod;
  @Column({ name: 'credit_limit', type: 'bigint', transformer: bigintTransformer }) creditLimit: bigint;
}

@Entity({ schema: 'billing', name: 'tariffs' })
export class TariffEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 64, unique: true }) code: string;
  @Column({ type: 'jsonb' }) name: LocalizedText;
  @Column({ name: 'monthly_fee', type: 'bigint', transformer: bigintTransformer }) monthlyFee: bigint;
}

@Entity({ schema: 'billing', name: 'numbers' })
export class NumberEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 11, unique: true }) msisdn: string;
  @Column({ name: 'company_id', type: 'integer' }) companyId: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @ManyToOne(() => AccountEntity) @JoinColumn({ name: 'account_id' }) account?: AccountEntity;
  @Column({ name: 'tariff_id', type: 'integer' }) tariffId: number;
  @ManyToOne(() => TariffEntity) @JoinColumn({ name: 'tariff_id' }) tariff?: TariffEntity;
  @Column({
    type: 'enum',
    enum: ['ACTIVE', 'BLOCKED', 'BLOCKED_DEBT', 'IN_PROCESS'],
    enumName: 'number_state',
  })
  state: NumberState;
  @Column({ name: 'state_changed_at', type: 'timestamptz' }) stateChangedAt: Date;
  @Column({ type: 'bigint', transformer: bigintTransformer }) balance: bigint;
  @Column({ name: 'available_funds', type: 'bigint', transformer: bigintTransformer }) availableFunds: bigint;
  @Column({ name: 'individual_limit', type: 'bigint', nullable: true, transformer: bigintTransformer })
  individualLimit: bigint | null;
  @Column({ name: 'registration_form', type: 'varchar', length: 32 }) registrationForm: string;
  @Column({ name: 'is_m2m', type: 'boolean' }) isM2m: boolean;
  @Column({ name: 'roaming_debt', type: 'bigint', nullable: true, transformer: bigintTransformer })
  roamingDebt: bigint | null;
  @Column({ name: 'sms_ussd_ban', type: 'boolean' }) smsUssdBan: boolean;
  @Column({ name: 'last_imei', type: 'char', length: 15, nullable: true }) lastImei: string | null;
  @Column({ name: 'secret_code_set_at', type: 'timestamptz', nullable: true }) secretCodeSetAt: Date | null;
}

@Entity({ schema: 'billing', name: 'sim_cards' })
export class SimCardEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'char', length: 20, unique: true }) iccid: string;
  @Column({ type: 'varchar', length: 8 }) pin1: string;
  @Column({ type: 'varchar', length: 8 }) pin2: string;
  @Column({ type: 'varchar', length: 8 }) puk1: string;
  @Column({ type: 'varchar', length: 8 }) puk2: string;
  @Column({ name: 'number_id', type: 'integer', nullable: true }) numberId: number | null;
  @Column({ name: 'installed_at', type: 'timestamptz', nullable: true }) installedAt: Date | null;
  @Column({ name: 'replaced_at', type: 'timestamptz', nullable: true }) replacedAt: Date | null;
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true }) retiredAt: Date | null;
}

@Entity({ schema: 'billing', name: 'registered_devices' })
export class RegisteredDeviceEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'number_id', type: 'integer' }) numberId: number;
  @Column({ type: 'char', length: 15 }) imei: string;
  @Column({ name: 'registered_at', type: 'timestamptz' }) registeredAt: Date;
}

@Entity({ schema: 'billing', name: 'allowances' })
export class AllowanceEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'number_id', type: 'integer' }) numberId: number;
  @Column({
    type: 'enum',
    enum: ['ONNET_CALLS', 'OFFNET_CALLS', 'LANDLINE_CALLS', 'INTERNATIONAL_CALLS', 'SMS', 'ONNET_SMS', 'DATA'],
    enumName: 'allowance_kind',
  })
  kind: AllowanceKind;
  @Column({ name: 'is_bonus', type: 'boolean' }) isBonus: boolean;
  @Column({ type: 'boolean' }) unlimited: boolean;
  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer }) available: bigint | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer }) total: bigint | null;
  @Column({ type: 'enum', enum: ['SECOND', 'SMS', 'MEGABYTE'], enumName: 'allowance_unit' }) unit: AllowanceUnit;
  @Column({ name: 'valid_from', type: 'date' }) validFrom: string;
  @Column({ name: 'valid_to', type: 'date' }) validTo: string;
}

@Entity({ schema: 'billing', name: 'services' })
export class ServiceEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 64, unique: true }) code: string;
  @Column({ type: 'enum', enum: ['VOICE', 'INTERNET', 'MESSAGING', 'OTHER'], enumName: 'service_category' })
  category: ServiceCategory;
  @Column({ type: 'jsonb' }) name: LocalizedText;
  @Column({ type: 'jsonb' }) description: LocalizedText;
  @Column({ name: 'monthly_fee', type: 'bigint', transformer: bigintTransformer }) monthlyFee: bigint;
  @Column({ type: 'integer' }) position: number;
}

@Entity({ schema: 'billing', name: 'tariff_services' })
export class TariffServiceEntity {
  @PrimaryColumn({ name: 'tariff_id', type: 'integer' }) tariffId: number;
  @PrimaryColumn({ name: 'service_id', type: 'integer' }) serviceId: number;
}

@Entity({ schema: 'billing', name: 'connected_services' })
export class ConnectedServiceEntity {
  @PrimaryColumn({ name: 'number_id', type: 'integer' }) numberId: number;
  @PrimaryColumn({ name: 'service_id', type: 'integer' }) serviceId: number;
  @Column({ name: 'connected_at', type: 'timestamptz' }) connectedAt: Date;
}

@Entity({ schema: 'billing', name: 'payments' })
export class PaymentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'number_id', type: 'integer', nullable: true }) numberId: number | null;
  @Column({ name: 'paid_at', type: 'timestamptz' }) paidAt: Date;
  @Column({ type: 'enum', enum: ['PAYMENT', 'CHARGE', 'REFUND', 'ADJUSTMENT'], enumName: 'payment_type' })
  type: PaymentType;
  @Column({ type: 'text' }) comment: string;
  @Column({ type: 'bigint', transformer: bigintTransformer }) amount: bigint;
  /** The first day of the month a charge is for (its service period); null for other movements. */
  @Column({ name: 'service_month', type: 'date', nullable: true }) serviceMonth: string | null;
  @Column({ name: 'charge_kind', type: 'enum', enum: CHARGE_KINDS as ChargeKind[], enumName: 'charge_kind', nullable: true }) chargeKind: ChargeKind | null;
  @Column({ name: 'tariff_id', type: 'integer', nullable: true }) tariffId: number | null;
  @Column({ name: 'service_id', type: 'integer', nullable: true }) serviceId: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer }) quantity: bigint | null;
  @Column({ type: 'enum', enum: ['KASPI', 'HALYK', 'KCELL_APP', 'TERMINAL', 'PAYMENT_ORDER', 'OTHER'], enumName: 'payment_channel', nullable: true })
  channel: PaymentChannel | null;
  @Column({
    type: 'enum',
    enum: ['DUPLICATE_CHARGE', 'ROAMING_RECALCULATION', 'SERVICE_OUTAGE', 'BALANCE_CORRECTION', 'OTHER'],
    enumName: 'adjustment_reason',
    nullable: true,
  })
  reason: AdjustmentReason | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) reference: string | null;
  @Column({ name: 'balance_before', type: 'bigint', transformer: bigintTransformer }) balanceBefore: bigint;
  @Column({ name: 'balance_after', type: 'bigint', transformer: bigintTransformer }) balanceAfter: bigint;
}

@Entity({ schema: 'billing', name: 'usage_records' })
export class UsageRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'number_id', type: 'integer' }) numberId: number;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @Column({ type: 'enum', enum: ['CALL', 'SMS', 'DATA', 'USSD'], enumName: 'usage_type' }) type: UsageType;
  @Column({ type: 'enum', enum: ['INCOMING', 'OUTGOING'], enumName: 'usage_direction' }) direction: UsageDirection;
  @Column({ name: 'other_party', type: 'varchar', length: 32, nullable: true }) otherParty: string | null;
  @Column({ name: 'duration_seconds', type: 'integer', nullable: true }) durationSeconds: number | null;
  @Column({ name: 'volume_kb', type: 'bigint', nullable: true, transformer: bigintTransformer }) volumeKb: bigint | null;
  @Column({ type: 'bigint', transformer: bigintTransformer }) cost: bigint;
}

@Entity({ schema: 'billing', name: 'call_forwardings' })
export class CallForwardingEntity {
  @PrimaryColumn({ name: 'number_id', type: 'integer' }) numberId: number;
  @PrimaryColumn({
    type: 'enum',
    enum: ['ALWAYS', 'BUSY', 'NO_ANSWER', 'UNREACHABLE'],
    enumName: 'forwarding_condition',
  })
  condition: ForwardingCondition;
  @Column({ type: 'char', length: 11 }) target: string;
  @Column({ name: 'set_at', type: 'timestamptz' }) setAt: Date;
}

export const billingEntities = [
  CompanyEntity,
  AccountEntity,
  TariffEntity,
  NumberEntity,
  SimCardEntity,
  RegisteredDeviceEntity,
  AllowanceEntity,
  ServiceEntity,
  TariffServiceEntity,
  ConnectedServiceEntity,
  PaymentEntity,
  UsageRecordEntity,
  CallForwardingEntity,
];
