import type { SqlRunner } from '../../core/db';
/** Anything that runs SQL with positional parameters: a TypeORM DataSource, EntityManager or QueryRunner, or a pg client adapter. */
export type { SqlRunner };

export { seedDemo, type DemoSeedOptions } from './demo';
export { seedBulk, type BulkSeedOptions, type BulkSeedResult } from './bulk';
export { DEMO_FREE_ICCIDS } from './demo-data';
export { isLuhnValid } from '../../billing/luhn';
