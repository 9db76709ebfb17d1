export { AuthResolver } from './auth.resolver';
export { authenticate, stillAuthenticated } from './authenticate';
export { isGranted, requireAdministrator, requireCompany, requireOperate } from '../core/access';
export { parseName } from '../core/validation';
