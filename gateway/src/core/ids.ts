import { BadUserInputError } from './errors';

export type NodeKind =
  | 'Company'
  | 'Number'
  | 'Account'
  | 'Tariff'
  | 'Service'
  | 'Payment'
  | 'UsageRecord'
  | 'ActionLog'
  | 'Administrator'
  | 'ApiKey'
  | 'Operation'
  | 'Session'
  | 'WebhookEndpoint'
  | 'WebhookDelivery'
  | 'BulkOperation'
  | 'BulkUpload';

/** Opaque global IDs: base64url of `Kind:databaseId`. */
export function toGlobalId(kind: NodeKind, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64url');
}

/** Decodes a global ID of the expected kind, or refuses the argument that carried it. */
export function fromGlobalId(kind: NodeKind, globalId: string, argument: string): number {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(globalId) ? Buffer.from(globalId, 'base64url').toString() : '';
  const match = /^([A-Za-z]+):(\d{1,15})$/.exec(decoded);
  if (!match || match[1] !== kind || Number(match[2]) > 2_147_483_647) {
    throw new BadUserInputError(argument, `${argument} is not a valid ${kind} ID`);
  }
  return Number(match[2]);
}
