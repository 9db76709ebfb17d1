export { AuthResolver } from './auth.resolver';
export { authenticate, recordWritePosition, stillAuthenticated } from './authenticate';
export { isGranted, requireAdministrator, requireCompany, requireOperate } from '../core/access';
export { parseName } from '../core/validation';
