import { attempt, type Outcome } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import {
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RedeliverWebhooksDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  UpdateWebhookEndpointDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  type EventType,
} from '../graphql/generated/graphql';

export interface WebhookRequest {
  name: string;
  url: string;
  eventTypes: EventType[];
}

/** A company's webhook endpoints: list, create (the secret comes in this one answer), change, rotate, test, delete. */
export function useWebhooks(companyId: Readonly<Ref<string | null>>) {
  const { result, loading, error, refetch } = useQuery(
    WebhookEndpointsDocument,
    () => ({ companyId: companyId.value ?? '' }),
    () => ({ enabled: companyId.value !== null, fetchPolicy: 'cache-and-network' }),
  );
  const { mutate: createEndpoint } = useMutation(CreateWebhookEndpointDocument);
  const { mutate: updateEndpoint } = useMutation(UpdateWebhookEndpointDocument);
  const { mutate: deleteEndpoint } = useMutation(DeleteWebhookEndpointDocument);
  const { mutate: rotateSecret } = useMutation(RotateWebhookSecretDocument);
  const { mutate: sendTestWebhook } = useMutation(SendTestWebhookDocument);

  const create = (request: WebhookRequest): Promise<Outcome<{ secret: string }>> =>
    attempt(async () => {
      const answer = await createEndpoint({ companyId: companyId.value ?? '', input: request });
      const secret = answer?.data?.createWebhookEndpoint.secret;
      if (!secret) throw new Error('createWebhookEndpoint answered without a secret');
      await refetch();
      return { secret };
    });
  const setEnabled = (id: string, enabled: boolean): Promise<Outcome> =>
    attempt(async () => {
      await updateEndpoint({ id, input: { enabled } });
      return {};
    });
  const remove = (id: string): Promise<Outcome> =>
    attempt(async () => {
      await deleteEndpoint({ id });
      await refetch();
      return {};
    });
  const rotate = (id: string, overlapHours: number): Promise<Outcome<{ secret: string }>> =>
    attempt(async () => {
      const answer = await rotateSecret({ id, overlapHours });
      const secret = answer?.data?.rotateWebhookSecret.secret;
      if (!secret) throw new Error('rotateWebhookSecret answered without a secret');
      return { secret };
    });
  const sendTest = (id: string): Promise<Outcome> =>
    attempt(async () => {
      await sendTestWebhook({ id });
      return {};
    });

  return { endpoints: computed(() => result.value?.webhookEndpoints ?? []), loading, error, create, setEnabled, remove, rotate, sendTest };
}

/** An endpoint's delivery log, newest first, a page at a time; redeliver one or every failed one. */
export function useWebhookDeliveries(endpointId: Readonly<Ref<string | null>>, after: Readonly<Ref<string | undefined>>) {
  const { result, loading, error, refetch } = useQuery(
    WebhookDeliveriesDocument,
    () => ({ id: endpointId.value ?? '', first: 20, after: after.value }),
    () => ({ enabled: endpointId.value !== null, fetchPolicy: 'cache-and-network' }),
  );
  const { mutate: redeliverOne } = useMutation(RedeliverWebhookDocument);
  const { mutate: redeliverAll } = useMutation(RedeliverWebhooksDocument);

  const redeliver = (deliveryId: string): Promise<Outcome> =>
    attempt(async () => {
      await redeliverOne({ deliveryId });
      return {};
    });
  const redeliverFailed = (): Promise<Outcome<{ count: number }>> =>
    attempt(async () => {
      const answer = await redeliverAll({ id: endpointId.value ?? '' });
      await refetch();
      return { count: answer?.data?.redeliverWebhooks ?? 0 };
    });

  return { connection: computed(() => result.value?.webhookEndpoint.deliveries ?? null), loading, error, refetch, redeliver, redeliverFailed };
}
