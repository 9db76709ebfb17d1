export { NumberUsageResolver } from './usage.resolver';
export { USAGE_TOTALS } from './usage.loader';
export { USAGE_WINDOW_DAYS, usagePeriod, usageService } from './usage.service';
export { UsageDirection, UsageKind } from './usage.type';
