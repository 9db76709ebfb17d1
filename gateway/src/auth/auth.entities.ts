import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Language } from '../core/language';

@Entity({ schema: 'cabinet', name: 'administrators' })
export class AdministratorEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'varchar', length: 11, unique: true }) phone: string;
  @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ name: 'password_hash', type: 'text', nullable: true }) passwordHash: string | null;
  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true }) passwordChangedAt: Date | null;
  @Column({ type: 'enum', enum: ['en', 'ru', 'kk'], enumName: 'language' }) language: Language;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

@Entity({ schema: 'cabinet', name: 'grants' })
export class GrantEntity {
  @PrimaryColumn({ name: 'administrator_id', type: 'integer' }) administratorId: number;
  @PrimaryColumn({ name: 'company_id', type: 'integer' }) companyId: number;
  @Column({ name: 'short_name', type: 'varchar', length: 100, nullable: true }) shortName: string | null;
  @Column({ name: 'granted_at', type: 'timestamptz' }) grantedAt: Date;
}

@Entity({ schema: 'cabinet', name: 'sessions' })
export class SessionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'token_hash', type: 'bytea', unique: true }) tokenHash: Buffer;
  @Column({ name: 'administrator_id', type: 'integer' }) administratorId: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'client_address', type: 'inet', nullable: true }) clientAddress: string | null;
  @Column({ name: 'user_agent', type: 'text', nullable: true }) userAgent: string | null;
}

@Entity({ schema: 'cabinet', name: 'recoveries' })
export class RecoveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'administrator_id', type: 'integer', nullable: true }) administratorId: number | null;
  /** The phone of a recovery that is no administrator's (whose code matches nothing). */
  @Column({ type: 'varchar', length: 11, nullable: true }) phone: string | null;
  @Column({ name: 'code_hash', type: 'bytea' }) codeHash: Buffer;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'code_expires_at', type: 'timestamptz' }) codeExpiresAt: Date;
  @Column({ name: 'last_sent_at', type: 'timestamptz' }) lastSentAt: Date;
  @Column({ type: 'integer' }) sends: number;
  @Column({ name: 'failed_attempts', type: 'integer' }) failedAttempts: number;
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true }) verifiedAt: Date | null;
  @Column({ name: 'completion_hash', type: 'bytea', nullable: true }) completionHash: Buffer | null;
  @Column({ name: 'completion_expires_at', type: 'timestamptz', nullable: true }) completionExpiresAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true }) voidedAt: Date | null;
}

@Entity({ schema: 'cabinet', name: 'sms_outbox' })
export class SmsOutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'varchar', length: 11 }) phone: string;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'varchar', length: 32 }) purpose: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'sent_via', type: 'varchar', length: 16, nullable: true }) sentVia: string | null;
}

@Entity({ schema: 'cabinet', name: 'rate_limits' })
export class RateLimitEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 }) key: string;
  @Column({ name: 'window_started_at', type: 'timestamptz' }) windowStartedAt: Date;
  @Column({ type: 'integer' }) hits: number;
}

@Entity({ schema: 'cabinet', name: 'throttles' })
export class ThrottleEntity {
  @PrimaryColumn({ type: 'varchar', length: 160 }) key: string;
  @Column({ type: 'integer' }) failures: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ schema: 'cabinet', name: 'registration_requests' })
export class RegistrationRequestEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'char', length: 12 }) bin: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'varchar', length: 11 }) phone: string;
  @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ type: 'enum', enum: ['PENDING', 'APPROVED', 'REJECTED'], enumName: 'registration_status' })
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
  @Column({ name: 'client_address', type: 'inet', nullable: true }) clientAddress: string | null;
}

@Entity({ schema: 'cabinet', name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'company_id', type: 'integer' }) companyId: number;
  @Column({ name: 'created_by', type: 'integer' }) createdBy: number;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'enum', enum: ['READ', 'OPERATE'], enumName: 'api_key_scope' }) scope: 'READ' | 'OPERATE';
  @Column({ type: 'varchar', length: 16 }) prefix: string;
  @Column({ name: 'secret_hash', type: 'bytea', unique: true }) secretHash: Buffer;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @Column({ type: 'numeric', precision: 12, scale: 3 }) budget: string;
  @Column({ name: 'budget_updated_at', type: 'timestamptz' }) budgetUpdatedAt: Date;
}

export const authEntities = [
  AdministratorEntity,
  GrantEntity,
  SessionEntity,
  RecoveryEntity,
  SmsOutboxEntity,
  RateLimitEntity,
  ThrottleEntity,
  RegistrationRequestEntity,
  ApiKeyEntity,
];
