import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { NumberState } from '../billing';
import { OPERATION_KINDS, type OperationKind } from './operation.catalogue';

export { OPERATION_KINDS, type OperationKind } from './operation.catalogue';
export type OperationStatus = 'IN_PROCESS' | 'SUCCESS' | 'FAILURE';

@Entity({ schema: 'cabinet', name: 'operations' })
export class OperationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'company_id', type: 'integer' }) companyId: number;
  @Column({ name: 'number_id', type: 'integer' }) numberId: number;
  @Column({ type: 'enum', enum: OPERATION_KINDS, enumName: 'operation_kind' }) kind: OperationKind;
  @Column({ type: 'enum', enum: ['IN_PROCESS', 'SUCCESS', 'FAILURE'], enumName: 'action_status' }) status: OperationStatus;
  @Column({ type: 'jsonb' }) params: Record<string, string | boolean>;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 100, nullable: true }) idempotencyKey: string | null;
  @Column({ name: 'previous_state', type: 'enum', enum: ['ACTIVE', 'BLOCKED', 'BLOCKED_DEBT', 'IN_PROCESS'], enumName: 'number_state', nullable: true })
  previousState: NumberState | null;
  @Column({ name: 'failure_reason', type: 'text', nullable: true }) failureReason: string | null;
  @Column({ name: 'action_log_id', type: 'bigint', nullable: true }) actionLogId: string | null;
  @Column({ name: 'administrator_id', type: 'integer', nullable: true }) administratorId: number | null;
  @Column({ name: 'api_key_id', type: 'integer', nullable: true }) apiKeyId: number | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
}
