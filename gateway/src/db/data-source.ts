import { DataSource } from 'typeorm';
import { prepareStatementsOn } from '../core/db';
import { ActionLogEntity } from '../actions/action-log.entity';
import { authEntities } from '../auth/auth.entities';
import { OperationEntity } from '../operations/operation.entity';
import { billingEntities } from '../billing/billing.entities';
import { BillingAndCabinet1763770000000 } from './migrations/1763770000000-billing-and-cabinet';
import { AdministratorsAndAccess1763780000000 } from './migrations/1763780000000-administrators-and-access';
import { Operations1763790000000 } from './migrations/1763790000000-operations';
import { Releases1763810000000 } from './migrations/1763810000000-releases';
import { Documents1763800000000 } from './migrations/1763800000000-documents';
import { ChargeServicePeriod1764600000000 } from './migrations/1764600000000-charge-service-period';
import { NumbersInProcessIndex1764600000001 } from './migrations/1764600000001-numbers-in-process-index';
import { Throttles1764610000000 } from './migrations/1764610000000-throttles';
import { ReleaseCanaries1764640000000 } from './migrations/1764640000000-release-canaries';
import { TariffChange1764700000000 } from './migrations/1764700000000-tariff-change';
import { ViewMarks1764630000000 } from './migrations/1764630000000-view-marks';
import { EventLog1764740000000 } from './migrations/1764740000000-event-log';
import { SocketLeases1764750000000 } from './migrations/1764750000000-socket-leases';
import { TrustedDocuments1764760000000 } from './migrations/1764760000000-trusted-documents';
import { OperatorActions1764770000000 } from './migrations/1764770000000-operator-actions';
import { Webhooks1764810000000 } from './migrations/1764810000000-webhooks';
import { RecoveriesOfUnknownPhones1764820000000 } from './migrations/1764820000000-recoveries-of-unknown-phones';
import { Sandboxes1764830000000 } from './migrations/1764830000000-sandboxes';
import { BulkOperations1764900000000 } from './migrations/1764900000000-bulk-operations';
import { BulkGate1764910000001 } from './migrations/1764910000001-bulk-gate';
import { WebhookFailingSince1764920000000 } from './migrations/1764920000000-webhook-failing-since';
import { AdministratorRemovalAndDevices1764930000000 } from './migrations/1764930000000-administrator-removal-and-devices';
import { WritePositions1764940000000 } from './migrations/1764940000000-write-positions';
import { NumberSearchGrams1764950000000 } from './migrations/1764950000000-number-search-grams';

export const entities = [...billingEntities, ActionLogEntity, ...authEntities, OperationEntity];
export const migrations = [
  BillingAndCabinet1763770000000,
  AdministratorsAndAccess1763780000000,
  Operations1763790000000,
  Documents1763800000000,
  Releases1763810000000,
  ChargeServicePeriod1764600000000,
  NumbersInProcessIndex1764600000001,
  Throttles1764610000000,
  ViewMarks1764630000000,
  ReleaseCanaries1764640000000,
  TariffChange1764700000000,
  EventLog1764740000000,
  SocketLeases1764750000000,
  TrustedDocuments1764760000000,
  OperatorActions1764770000000,
  Webhooks1764810000000,
  RecoveriesOfUnknownPhones1764820000000,
  Sandboxes1764830000000,
  BulkOperations1764900000000,
  BulkGate1764910000001,
  WebhookFailingSince1764920000000,
  AdministratorRemovalAndDevices1764930000000,
  WritePositions1764940000000,
  NumberSearchGrams1764950000000,
];

/**
 * How long a statement waits for a free connection of the pool (or for a new one to open) before it fails: a pool
 * kept busy or a database that does not answer then says SERVICE_UNAVAILABLE instead of holding requests open.
 */
export const POOL_CONNECTION_TIMEOUT_MS = 10_000;

/**
 * A data source of `poolSize` connections to `url`. Its statements are prepared once per connection unless
 * `preparedStatements` is false: for a pooler in transaction mode (see `prepareStatementsOn`).
 */
export function createDataSource(
  url: string,
  poolSize = 10,
  applicationName = 'cabinet-gateway',
  connectionTimeoutMs = POOL_CONNECTION_TIMEOUT_MS,
  preparedStatements = true,
): DataSource {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: false,
    applicationName,
    extra: { max: poolSize, connectionTimeoutMillis: connectionTimeoutMs },
  });
  if (preparedStatements) prepareStatementsOn(dataSource);
  return dataSource;
}
