export { EventResolver } from './event.resolver';
export { eventService, eventCursor, eventData } from './event.service';
export { EventKind, EventType } from './event.type';
export { startEventJobs, EVENT_PRUNE_QUEUE } from './event.jobs';
export { CursorExpiredError, decodeCursor, encodeCursor, eventLog, type EventLogDb, type LoggedEvent, type LogHead } from '../core/event-log';
