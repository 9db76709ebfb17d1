import { requireCompany } from '../core/access';
import type { Context } from '../core/context';
import type { CompanyEventStream } from '../core/events';
import { BadUserInputError } from '../core/errors';
import { toGlobalId, type NodeKind } from '../core/ids';
import { checkPageSize, type Page } from '../core/paging';
import { CursorExpiredError, decodeCursor, encodeCursor, eventLog, type EventLogDb, type LoggedEvent } from '../core/event-log';
import { EventKind, type EventType } from './event.type';

const KINDS = new Set<string>(Object.values(EventKind));
const REPORT_KIND = 'Report' as NodeKind;

/** What an event's payload says, as the API shows it: global IDs of the objects concerned and the new state. */
export function eventData(payload: Record<string, unknown>): Pick<EventType, 'numberId' | 'operationId' | 'reportId' | 'bulkOperationId' | 'state'> {
  const id = (key: string) => (payload[key] === undefined || payload[key] === null ? null : String(payload[key]));
  const numberId = id('numberId');
  const operationId = id('operationId');
  const reportId = id('reportId');
  const bulkOperationId = id('bulkOperationId');
  return {
    numberId: numberId && toGlobalId('Number', numberId),
    operationId: operationId && toGlobalId('Operation', operationId),
    reportId: reportId && toGlobalId(REPORT_KIND, reportId),
    bulkOperationId: bulkOperationId && toGlobalId('BulkOperation', bulkOperationId),
    state: id('state') ?? id('status'),
  };
}

function toEventType(event: LoggedEvent): EventType {
  return {
    cursor: encodeCursor(event.companyId, event.position),
    type: event.topic as EventKind,
    sequence: event.sequence,
    occurredAt: event.occurredAt,
    ...eventData(event.payload),
  };
}

export interface EventPageArgs {
  after?: string | null;
  types?: EventKind[] | null;
  first?: number;
}

export const eventService = {
  /**
   * A page of the company's log, oldest first, after a cursor (or from the oldest event kept). At the end of the
   * log, `endCursor` is the log's end even when the page is empty or skipped other types, so that a client can
   * follow from it (a subscription's `after`) without missing anything. CURSOR_EXPIRED: retention removed events
   * after the cursor — refetch what you show.
   */
  async page(ctx: Context, companyId: number, { after, types, first }: EventPageArgs): Promise<Page<EventType>> {
    requireCompany(ctx, companyId);
    const size = checkPageSize(first);
    if (types && types.some((type) => !KINDS.has(type))) throw new BadUserInputError('types', 'types holds an unknown event type');
    const from = after ? decodeCursor(after, companyId) : null;
    // From the primary, whatever the query's other reads: cursors come from events that subscriptions and webhooks
    // read there, and a standby that had not replayed one yet would answer CURSOR_EXPIRED for it.
    const { head, events } = await eventLog.page(ctx.db.primary, companyId, from ?? 0, types && types.length > 0 ? types : [...KINDS], size + 1);
    if (from !== null && (from < head.prunedThrough || from > head.last)) throw new CursorExpiredError();
    const hasNextPage = events.length > size;
    const edges = events.slice(0, size).map((event) => {
      const node = toEventType(event);
      return { node, cursor: node.cursor };
    });
    return {
      edges,
      pageInfo: {
        hasNextPage,
        hasPreviousPage: from !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: hasNextPage ? edges[edges.length - 1].cursor : encodeCursor(companyId, Math.max(head.last, from ?? 0)),
      },
    };
  },

  /**
   * A subscription to the company's events of some topics, authorized like a query: after the cursor `after` from
   * the log first (CURSOR_EXPIRED when retention removed some), then each as it commits; without it, from now on.
   */
  follow(ctx: Context, companyId: number, topics: readonly string[], after: string | null | undefined): Promise<CompanyEventStream> {
    requireCompany(ctx, companyId);
    const from = after ? decodeCursor(after, companyId) : undefined;
    if (!ctx.ports.events) throw new Error('This gateway runs without an event bus');
    return ctx.ports.events.subscribe({ companyId, topics, after: from });
  },

  /** Removes events older than the retention; see `eventLog.prune`. */
  prune(db: EventLogDb, retentionDays: number): Promise<number> {
    return eventLog.prune(db, retentionDays);
  },
};

export { encodeCursor as eventCursor };
