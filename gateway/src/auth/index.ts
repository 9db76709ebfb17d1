export { AuthResolver } from './auth.resolver';
export { authenticate, stillAuthenticated } from './authenticate';
export { requireCompany, requireOperate } from '../core/access';
export { parseName } from '../core/validation';
