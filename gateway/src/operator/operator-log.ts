import type { SqlRunner } from '../core/db';

/** What the operator side records of changes to the portal itself. */
export const OPERATOR_ACTIONS = ['RELEASE_ACTIVATED', 'CANARY_STARTED', 'CANARY_PROMOTED', 'CANARY_DROPPED', 'RELEASE_ROLLED_BACK'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

export interface OperatorLogEntry {
  at: Date;
  actor: string;
  action: OperatorAction;
  section: string;
  version: string;
  details: Record<string, unknown>;
}

export const operatorLog = {
  /** Writes one entry, in the caller's transaction (with what it records). */
  async record(db: SqlRunner, actor: string, action: OperatorAction, section: string, version: string, details: Record<string, unknown> = {}): Promise<void> {
    await db.query(`INSERT INTO cabinet.operator_actions (actor, action, section, version, details) VALUES ($1, $2, $3, $4, $5)`, [
      actor,
      action,
      section,
      version,
      JSON.stringify(details),
    ]);
  },

  /** The latest entries, newest first. */
  async latest(db: SqlRunner, limit = 100): Promise<OperatorLogEntry[]> {
    return db.query(`SELECT at, actor, action, section, version, details FROM cabinet.operator_actions ORDER BY at DESC, id DESC LIMIT $1`, [limit]);
  },
};
