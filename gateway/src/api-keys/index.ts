export { ApiKeyResolver } from './api-key.resolver';
export { API_KEY_BUDGET, apiKeyService, liveApiKey, type ApiKeyRow } from './api-key.service';
export { apiKeyType } from './api-key.resolver';
export { ApiKeyScopeEnum, ApiKeyType } from './api-key.type';
