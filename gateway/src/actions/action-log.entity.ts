import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActionStatus } from '../core/action-recorder';

export type { ActionStatus };

@Entity({ schema: 'cabinet', name: 'action_log' })
export class ActionLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'company_id', type: 'integer', nullable: true }) companyId: number | null;
  @Column({ name: 'number_id', type: 'integer', nullable: true }) numberId: number | null;
  @Column({ type: 'varchar', length: 64 }) action: string;
  @Column({ type: 'jsonb' }) details: Record<string, string>;
  @Column({ type: 'enum', enum: ['IN_PROCESS', 'SUCCESS', 'FAILURE'], enumName: 'action_status' })
  status: ActionStatus;
  @Column({ name: 'actor_name', type: 'text' }) actorName: string;
  @Column({ name: 'actor_phone', type: 'char', length: 11, nullable: true }) actorPhone: string | null;
  @Column({ name: 'client_address', type: 'inet', nullable: true }) clientAddress: string | null;
  @Column({ name: 'administrator_id', type: 'integer', nullable: true }) administratorId: number | null;
  @Column({ name: 'api_key_id', type: 'integer', nullable: true }) apiKeyId: number | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
