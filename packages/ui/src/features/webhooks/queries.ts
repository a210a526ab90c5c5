import { useQuery } from '@tanstack/react-query';
import { getWebhook, listDeliveries, listWebhooks } from '../../api/trove.ts';

export const webhookHref = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

export function useWebhooks() {
  return useQuery({ queryKey: ['webhooks'], queryFn: ({ signal }) => listWebhooks(signal) });
}

export function useWebhook(id: string) {
  return useQuery({ queryKey: ['webhook', id], queryFn: ({ signal }) => getWebhook(id, signal) });
}

/** The delivery log: refreshes every second while a delivery is pending (retries run in the background), else every 10 s. */
export function useDeliveries(id: string, status: string) {
  return useQuery({
    queryKey: ['webhook-deliveries', id, status],
    queryFn: ({ signal }) => listDeliveries(id, status || undefined, signal),
    refetchInterval: (q) => (q.state.data?.deliveries.some((d) => d.status === 'pending') ? 1000 : 10_000),
  });
}
