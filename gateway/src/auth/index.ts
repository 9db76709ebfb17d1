export { AuthResolver } from './auth.resolver';
export { authenticate, stillAuthenticated } from './authenticate';
export { isGranted, requireAdministrator, requireCompany, requireOperate } from './access';
export { parseName } from './auth.validation';
