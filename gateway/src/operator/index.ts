export { OPERATOR_ACTIONS, operatorLog, type OperatorAction, type OperatorLogEntry } from './operator-log';
