import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../common/connection';
import { toGlobalId } from '../core/ids';
import { MoneyScalar } from '../common/scalars';
import type { NumberRow, SimCardRow } from '../billing';

export type { NumberRow, SimCardRow };

export enum NumberState {
  ACTIVE = 'ACTIVE',
  BLOCKED = 'BLOCKED',
  BLOCKED_DEBT = 'BLOCKED_DEBT',
  IN_PROCESS = 'IN_PROCESS',
}
registerEnumType(NumberState, {
  name: 'NumberState',
  description: 'State of a number in the billing system.',
  valuesConfig: {
    ACTIVE: { description: 'In service.' },
    BLOCKED: { description: 'Blocked on request; can be unblocked.' },
    BLOCKED_DEBT: { description: 'Blocked for an unpaid debt of a previous period; cannot be unblocked from the portal.' },
    IN_PROCESS: { description: 'A block or unblock is being carried out by the billing system (1–2 minutes).' },
  },
});

export enum ForwardingCondition {
  ALWAYS = 'ALWAYS',
  BUSY = 'BUSY',
  NO_ANSWER = 'NO_ANSWER',
  UNREACHABLE = 'UNREACHABLE',
}
registerEnumType(ForwardingCondition, { name: 'ForwardingCondition', description: 'When calls are forwarded.' });

const money = (value: string | null) => (value === null ? null : BigInt(value));

@ObjectType('Number', { description: 'A subscriber number (MSISDN) of the company: an employee’s phone or a device’s SIM.' })
export class NumberType {
  @Field(() => ID, { description: 'Global ID of the number.' }) id: string;
  @Field({ description: 'The number, 11 digits starting with 7, e.g. "77010542006".' }) msisdn: string;
  @Field(() => NumberState, { description: 'Current state.' }) state: NumberState;
  @Field(() => GraphQLDateTime, { description: 'When the state last changed (the last block or unblock).' }) stateChangedAt: Date;
  @Field(() => MoneyScalar, { description: 'Balance of the number.' }) balance: bigint;
  @Field(() => MoneyScalar, {
    description: 'Funds available to the end of the month. For Advance numbers this is the balance.',
  })
  availableFunds: bigint;
  @Field(() => MoneyScalar, { nullable: true, description: 'Individual spending limit of the number, when set.' })
  individualLimit: bigint | null;
  @Field({ description: 'True for machine-to-machine SIMs (devices, telemetry).' }) isM2m: boolean;
  @Field(() => MoneyScalar, { nullable: true, description: 'Outstanding amount for roaming; M2M numbers only.' })
  roamingDebt: bigint | null;
  @Field({ description: 'Registration form number of the subscriber agreement.' }) registrationForm: string;
  @Field({ description: 'True when the number’s user may not change services by SMS/USSD.' }) smsUssdBan: boolean;
  dbId: number;
  companyId: number;
  accountId: number;
  tariffId: number;
  lastImei: string | null;

  static from(row: NumberRow): NumberType {
    return Object.assign(new NumberType(), {
      id: toGlobalId('Number', row.id),
      dbId: row.id,
      msisdn: row.msisdn,
      state: row.state,
      stateChangedAt: row.stateChangedAt,
      balance: BigInt(row.balance),
      availableFunds: BigInt(row.availableFunds),
      individualLimit: money(row.individualLimit),
      isM2m: row.isM2m,
      roamingDebt: row.isM2m ? money(row.roamingDebt) : null,
      registrationForm: row.registrationForm,
      smsUssdBan: row.smsUssdBan,
      companyId: row.companyId,
      accountId: row.accountId,
      tariffId: row.tariffId,
      lastImei: row.lastImei,
    });
  }
}

export const NumberConnection = Connection(NumberType, 'Number', 'number');

@ObjectType('SimCard', { description: 'The SIM card currently in service for a number.' })
export class SimCardType {
  @Field({ description: 'ICCID printed on the card: 20 digits, the last a Luhn check digit.' }) iccid: string;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When this card replaced the previous one; null for the original card.' })
  replacedAt: Date | null;
}

@ObjectType('SimCodes', { description: 'PIN and PUK codes of a SIM card, shown on request; every reveal is in the actions history.' })
export class SimCodesType {
  @Field({ description: 'ICCID of the card the codes belong to.' }) iccid: string;
  @Field({ description: 'PIN1 code.' }) pin1: string;
  @Field({ description: 'PIN2 code.' }) pin2: string;
  @Field({ description: 'PUK1 code.' }) puk1: string;
  @Field({ description: 'PUK2 code.' }) puk2: string;
}

@ObjectType('RegisteredDevice', { description: 'A device (IMEI) registered with a number.' })
export class RegisteredDeviceType {
  @Field({ description: 'IMEI: 15 digits, the last a Luhn check digit.' }) imei: string;
  @Field(() => GraphQLDateTime, { description: 'When it was registered.' }) registeredAt: Date;
}

@ObjectType('Device', { description: 'The device used with a number, as recorded by the network.' })
export class DeviceType {
  @Field(() => String, { nullable: true, description: 'The last IMEI of the device used with this number.' }) lastImei: string | null;
  @Field({ description: 'True when the last recorded device is registered with the number.' }) lastImeiRegistered: boolean;
  @Field(() => [RegisteredDeviceType], { description: 'Devices registered with the number, oldest first.' })
  registered: RegisteredDeviceType[];
}

@ObjectType('CallForwarding', { description: 'A call forwarding rule of a number.' })
export class CallForwardingType {
  @Field(() => ForwardingCondition, { description: 'When calls are forwarded.' }) condition: ForwardingCondition;
  @Field({ description: 'Where calls go: 11 digits starting with 7.' }) target: string;
  @Field(() => GraphQLDateTime, { description: 'When the rule was set.' }) setAt: Date;
}
