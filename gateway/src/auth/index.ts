export { AuthResolver } from './auth.resolver';
export { authenticate, stillAuthenticated } from './authenticate';
export { SESSION_COOKIE, sessions } from './session';
export { requireAdministrator, requireCompany, isGranted, requireOperate, requirePrincipal, ForbiddenError, UnauthenticatedError } from './access';
export { parseBin, parsePhone, parseName } from './auth.validation';
export { RateLimitedError, rateLimits } from './rate-limit';
export { tokenHash } from './token';
