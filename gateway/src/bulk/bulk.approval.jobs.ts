import type { PgBoss } from 'pg-boss';
import type { DataSource } from 'typeorm';
import { billing } from '../billing';
import { RequestDb } from '../core/db';
import type { EventPublisher } from '../core/events';
import type { Logger } from '../core/logger';
import { OPERATION_TEXTS } from '../operations';
import { APPROVAL_MAIL } from './bulk.approval.texts';
import { approvalAudience, expireApproval } from './bulk.approval';
import { APPROVAL_QUEUE, APPROVAL_WINDOW_HOURS, createApprovalQueue, type ApprovalJob, type ApprovalQueue } from './bulk.approval.queue';
import { BULK_OPERATION_CHANGED } from './bulk.service';

/** A mailer as the approvals use it (the gateway's `Mailer`). */
export interface ApprovalMailer {
  send(message: { to: string; subject: string; text: string }): Promise<unknown>;
}

export interface ApprovalJobDeps {
  boss: PgBoss;
  dataSource: DataSource;
  events: Pick<EventPublisher, 'publish'>;
  log: Logger;
  mailer?: ApprovalMailer;
}

/** E-mails the company's other administrators, each in their language, that a request waits for them. */
async function announce(deps: ApprovalJobDeps, id: string): Promise<void> {
  if (!deps.mailer) return;
  const root = new RequestDb(deps.dataSource);
  const audience = await approvalAudience(root, id);
  if (!audience || audience.readers.length === 0) return;
  const [first] = await root.query<{ msisdn: string; params: Record<string, string> }>(
    `SELECT i.msisdn, b.input || coalesce(i.input, '{}') AS params FROM cabinet.bulk_items i JOIN cabinet.bulk_operations b ON b.id = i.bulk_operation_id
     WHERE i.bulk_operation_id = $1 AND i.status = 'PENDING' ORDER BY i.position LIMIT 1`,
    [id],
  );
  const [company] = await billing.companies(root, [audience.request.companyId]);
  const pending = audience.request.pending;
  for (const reader of audience.readers) {
    const texts = APPROVAL_MAIL[reader.language] ?? APPROVAL_MAIL.en;
    const what = first ? OPERATION_TEXTS[audience.request.kind][reader.language]({ ...first.params, msisdn: first.msisdn }) : audience.request.kind;
    try {
      await deps.mailer.send({
        to: reader.email,
        subject: texts.subject({ company: company?.name ?? '' }),
        text: texts.text({
          requester: audience.request.actorName,
          what,
          more: Math.max(0, pending - 1),
          company: company?.name ?? '',
          hours: APPROVAL_WINDOW_HOURS,
        }),
      });
    } catch (error) {
      deps.log.error({ err: error, bulkOperationId: id }, 'could not e-mail an approval request');
    }
  }
}

/** The approvals queue, and its worker when this process runs workers: the e-mails of requests, and their expiry. */
export async function startApprovalJobs(deps: ApprovalJobDeps & { runWorker: boolean }): Promise<ApprovalQueue> {
  const queue = await createApprovalQueue(deps.boss);
  if (!deps.runWorker) return queue;
  await deps.boss.work<ApprovalJob>(APPROVAL_QUEUE, { batchSize: 10, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const { data } of jobs) {
      if (data.step === 'REQUESTED') {
        await announce(deps, data.bulkOperationId);
      } else {
        await deps.dataSource.transaction((manager) =>
          expireApproval(new RequestDb(manager.queryRunner!), data.bulkOperationId, async (db, companyId) => {
            await deps.events.publish(db, { topic: BULK_OPERATION_CHANGED, companyId, payload: { bulkOperationId: data.bulkOperationId } });
          }),
        );
      }
    }
  });
  return queue;
}
