export { NumberUsageResolver } from './usage.resolver';
export { USAGE_WINDOW_DAYS, usageService } from './usage.service';
