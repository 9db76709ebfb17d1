import { parsePhone } from '../core/validation';
import { billing, failureText } from '../billing';
import type { Context } from '../core/context';
import { toGlobalId } from '../core/ids';
import { checkPageSize, decodeNewestFirst, newestFirstPage, type Page } from '../core/paging';
import { resolvePeriod } from '../core/period';
import { serviceService } from '../services';
import { tariffService } from '../tariffs';
import { listActingAdministrators, listActions } from './action-log.repository';
import type { ActionCode, ActionLogRow, ActionLogType, ActionStatus, ActorType } from './action-log.type';
import { describeAction, REPORT_ACTIONS, reportFailureText } from './action-text';

export interface ActionLogQuery {
  /** With neither bound the whole history; with one, the other defaults as for every period (to: today, from: a month before). */
  from?: string | null;
  to?: string | null;
  numberId?: number | null;
  msisdn?: string | null;
  administratorId?: number | null;
  status?: ActionStatus | null;
  action?: ActionCode | null;
  first?: number;
  after?: string;
}

export const actionLogService = {
  /** Actions history of a company, or of one of its numbers, newest first. The caller has been granted the company. */
  async list(ctx: Context, companyId: number, query: ActionLogQuery): Promise<Page<ActionLogType>> {
    const size = checkPageSize(query.first);
    const period = query.from || query.to ? resolvePeriod(query.from, query.to) : null;
    const msisdn = query.msisdn ? parsePhone(query.msisdn, 'msisdn') : null;
    const action = query.action ?? null;
    const cursor = decodeNewestFirst(query.after);
    const [byMsisdn] = msisdn === null ? [null] : await billing.numbersByMsisdn(ctx.db, [msisdn]);
    const rows =
      msisdn !== null && !byMsisdn
        ? []
        : await listActions(ctx.db, {
            companyId,
            numberId: query.numberId ?? null,
            msisdnNumberId: byMsisdn?.id ?? null,
            period,
            administratorId: query.administratorId ?? null,
            status: query.status ?? null,
            action,
            limit: size + 1,
            after: cursor,
          });
    const serviceNames = await serviceService.names(ctx, [...new Set(rows.flatMap((row) => (row.details.service ? [row.details.service] : [])))]);
    const tariffIds = [...new Set(rows.flatMap((row) => (row.details.tariffId ? [Number(row.details.tariffId)] : [])))];
    const tariffNames = new Map(await Promise.all(tariffIds.map(async (id) => [String(id), (await tariffService.get(ctx, id)).name] as const)));
    const toEntry = (row: ActionLogRow): ActionLogType => ({
      id: toGlobalId('ActionLog', row.id),
      action: row.action,
      description: describeAction(
        row.action,
        {
          ...row.details,
          serviceName: serviceNames.get(row.details.service) ?? row.details.service,
          tariffName: tariffNames.get(row.details.tariffId) ?? row.details.tariff,
        },
        ctx.language,
      ),
      status: row.status,
      failureReason:
        row.status === 'FAILURE' && row.details.error
          ? (REPORT_ACTIONS.has(row.action) ? reportFailureText : failureText)(row.details.error, ctx.language)
          : null,
      createdAt: row.createdAt,
      actor: {
        name: row.actorName,
        phone: row.actorPhone,
        administratorId: row.administratorId === null ? null : toGlobalId('Administrator', row.administratorId),
      },
      numberId: row.numberId,
    });
    return newestFirstPage(rows, size, cursor, toEntry);
  },

  /** The administrators who have acted on the company (to filter its history by), by name. */
  async administrators(ctx: Context, companyId: number): Promise<ActorType[]> {
    const rows = await listActingAdministrators(ctx.db, companyId);
    return rows.map((row) => ({ name: row.name, phone: row.phone, administratorId: toGlobalId('Administrator', row.administratorId) }));
  },
};
