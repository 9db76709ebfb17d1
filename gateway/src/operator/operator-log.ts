import type { SqlRunner } from '../core/db';
import { insertOperatorAction, latestOperatorActions } from './operator.repository';

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
  record(db: SqlRunner, actor: string, action: OperatorAction, section: string, version: string, details: Record<string, unknown> = {}): Promise<void> {
    return insertOperatorAction(db, { actor, action, section, version, details });
  },

  /** The latest entries, newest first. */
  latest(db: SqlRunner, limit = 100): Promise<OperatorLogEntry[]> {
    return latestOperatorActions<OperatorLogEntry>(db, limit);
  },
};
