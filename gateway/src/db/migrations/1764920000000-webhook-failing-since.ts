import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an endpoint's current run of failures began: an endpoint is disabled after a run of failures that has also
 * lasted a while (WEBHOOK_DISABLE_AFTER_MINUTES), so that a burst of events meeting a receiver restarting for a few
 * seconds does not disable it. Cleared by the next success.
 */
export class WebhookFailingSince1764920000000 implements MigrationInterface {
  name = 'WebhookFailingSince1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cabinet.webhook_endpoints ADD COLUMN failing_since timestamptz`);
    await q.query(`UPDATE cabinet.webhook_endpoints SET failing_since = updated_at WHERE consecutive_failures > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cabinet.webhook_endpoints DROP COLUMN failing_since`);
  }
}
