import type { OperationFieldsFragment, OperationKind } from '../graphql/generated/graphql';

/** What the quick-operations menu offers, in the operator's order; each needs one of its operations to be allowed. */
export const MENU_ACTIONS = [
  { kind: 'BLOCK_NUMBER', needs: ['BLOCK_NUMBER'] },
  { kind: 'UNBLOCK_NUMBER', needs: ['UNBLOCK_NUMBER'] },
  { kind: 'REPLACE_SIM', needs: ['REPLACE_SIM'] },
  { kind: 'DEVICE', needs: ['REGISTER_DEVICE', 'UNREGISTER_DEVICE'] },
  { kind: 'SMS_USSD_BAN', needs: ['SET_SMS_USSD_BAN'] },
  { kind: 'CALL_FORWARDING', needs: ['SET_CALL_FORWARDING', 'CANCEL_CALL_FORWARDING'] },
  { kind: 'SEND_SECRET_CODE', needs: ['SEND_SECRET_CODE'] },
  { kind: 'DELETE_SECRET_CODE', needs: ['DELETE_SECRET_CODE'] },
] as const satisfies readonly { kind: string; needs: readonly OperationKind[] }[];

export type MenuActionKind = (typeof MENU_ACTIONS)[number]['kind'];

/** An operation the administrator is about to confirm or fill in. */
export type NumberAction = { kind: MenuActionKind } | { kind: 'CONNECT_SERVICE' | 'DISCONNECT_SERVICE'; service: { id: string; name: string } };

/** The menu entries a number's allowed operations permit. */
export function menuActions(allowed: readonly OperationKind[]): MenuActionKind[] {
  return MENU_ACTIONS.filter((action) => action.needs.some((kind) => allowed.includes(kind))).map((action) => action.kind);
}

/** What the number's operations in process are about: services (by code), devices (IMEI), forwarding conditions. */
export function pendingOf(operations: readonly Pick<OperationFieldsFragment, 'kind' | 'status' | 'parameters'>[]) {
  const values = (kinds: OperationKind[], name: string) =>
    operations
      .filter((operation) => operation.status === 'IN_PROCESS' && kinds.includes(operation.kind))
      .flatMap((operation) => operation.parameters.filter((parameter) => parameter.name === name).map((parameter) => parameter.value));
  return {
    services: values(['CONNECT_SERVICE', 'DISCONNECT_SERVICE'], 'service'),
    imeis: values(['REGISTER_DEVICE', 'UNREGISTER_DEVICE'], 'imei'),
    conditions: values(['SET_CALL_FORWARDING', 'CANCEL_CALL_FORWARDING'], 'condition'),
  };
}
