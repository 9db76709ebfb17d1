export { NumberUsageResolver } from './usage.resolver';
export { USAGE_WINDOW_DAYS, usagePeriod, usageService } from './usage.service';
export { UsageDirection, UsageKind } from './usage.type';
