export { ApiKeyResolver } from './api-key.resolver';
export { API_KEY_BUDGET, apiKeyService } from './api-key.service';
