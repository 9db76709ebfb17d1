import { mountWithMessages } from '../../testing';
import WebhookDeliveryTable from './WebhookDeliveryTable.vue';

const delivery = (
  id: string,
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED',
  attempts: { statusCode: number | null; error: string | null; responseBody: string | null }[],
) => ({
  id,
  eventId: `RXZlbnQ6MTo${id}`,
  eventType: 'NUMBER_CHANGED',
  status,
  occurredAt: '2026-12-02T10:00:00+05:00',
  nextAttemptAt: status === 'PENDING' ? '2026-12-02T10:05:00+05:00' : null,
  deliveredAt: status === 'SUCCEEDED' ? '2026-12-02T10:00:01+05:00' : null,
  attempts: attempts.map((attempt, index) => ({ attemptedAt: `2026-12-02T10:0${index}:00+05:00`, durationMs: 120 + index, ...attempt })),
});

describe('WebhookDeliveryTable', () => {
  it('shows every attempt with its status code, duration, error and the first bytes of the answer', () => {
    const table = mountWithMessages(WebhookDeliveryTable, {
      props: {
        canRedeliver: true,
        deliveries: [
          delivery('1', 'SUCCEEDED', [
            { statusCode: 500, error: 'answered 500', responseBody: 'Internal error' },
            { statusCode: null, error: 'no answer within 5000 ms', responseBody: null },
            { statusCode: 200, error: null, responseBody: 'ok' },
          ]),
          delivery('2', 'PENDING', []),
        ],
      },
    });
    const rows = table.findAll('tbody tr');
    const attempts = rows[0].findAll('[data-test="webhook-attempt"]');
    expect(attempts).toHaveLength(3);
    expect(attempts[0].text()).toContain('500');
    expect(attempts[0].text()).toContain('120 ms');
    expect(attempts[0].text()).toContain('answered 500');
    expect(attempts[0].find('[data-test="webhook-answer"]').text()).toBe('Internal error');
    expect(attempts[1].text()).toContain('no answer');
    expect(attempts[2].find('[data-test="webhook-answer"]').text()).toBe('ok');
    expect(rows[0].text()).toContain('Delivered');
    expect(rows[0].text()).toContain('Number changed');
    expect(rows[1].text()).toContain('Pending');
    expect(rows[1].text()).toContain('Not attempted yet');
    expect(rows[1].text()).toContain('Next attempt');
  });

  it('redelivers the delivery asked for, and offers nothing while the endpoint is disabled', async () => {
    const deliveries = [delivery('1', 'FAILED', [{ statusCode: 503, error: 'answered 503', responseBody: '' }])];
    const table = mountWithMessages(WebhookDeliveryTable, { props: { canRedeliver: true, deliveries } });
    await table.find('[data-test="redeliver"]').trigger('click');
    expect(table.emitted('redeliver')).toEqual([[deliveries[0]]]);
    const disabled = mountWithMessages(WebhookDeliveryTable, { props: { canRedeliver: false, deliveries } });
    expect(disabled.find('[data-test="redeliver"]').exists()).toBe(false);
  });

  it('says when nothing was sent yet', () => {
    const table = mountWithMessages(WebhookDeliveryTable, { props: { canRedeliver: true, deliveries: [] } });
    expect(table.find('[data-test="no-webhook-deliveries"]').text()).toBe('Nothing has been sent to this endpoint yet.');
  });
});
