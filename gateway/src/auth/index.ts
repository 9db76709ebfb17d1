export { AuthResolver } from './auth.resolver';
export { authenticate } from './authenticate';
