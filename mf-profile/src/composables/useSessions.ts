import { attempt, type Outcome } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import { EndOtherSessionsDocument, EndSessionDocument, MySessionsDocument } from '../graphql/generated/graphql';

// "Last seen" is kept to the minute; refreshing as often also notices a session ended elsewhere.
const REFRESH_MS = 60_000;

/** The administrator's signed-in browsers, the current one marked, and signing them out. */
export function useSessions() {
  const { result, loading, error, refetch } = useQuery(MySessionsDocument, {}, { fetchPolicy: 'cache-and-network', pollInterval: REFRESH_MS });
  const { mutate: endOne } = useMutation(EndSessionDocument);
  const { mutate: endOthers } = useMutation(EndOtherSessionsDocument);

  const end = (sessionId: string): Promise<Outcome> =>
    attempt(async () => {
      await endOne({ sessionId });
      await refetch();
      return {};
    });
  const endEverywhereElse = (): Promise<Outcome<{ ended: number }>> =>
    attempt(async () => {
      const answer = await endOthers();
      await refetch();
      return { ended: answer?.data?.endOtherSessions ?? 0 };
    });

  return {
    sessions: computed(() => result.value?.me?.sessions ?? []),
    loading,
    error,
    refresh: async () => {
      await refetch();
    },
    end,
    endEverywhereElse,
  };
}
