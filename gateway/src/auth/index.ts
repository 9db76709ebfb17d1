export { AuthResolver } from './auth.resolver';
export { authenticate, stillAuthenticated } from './authenticate';
export { requireCompany, requireOperate } from './access';
export { parseName } from './auth.validation';
