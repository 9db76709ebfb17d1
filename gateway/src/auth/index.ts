export { AuthResolver } from './auth.resolver';
export { authenticate, stillAuthenticated } from './authenticate';
