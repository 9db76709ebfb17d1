import { attempt, type Outcome } from '@cabinet/kit';
import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import { ChangeEmailDocument, ChangePasswordDocument, MyProfileDocument, SetCompanyShortNameDocument } from '../graphql/generated/graphql';

/** The signed-in administrator's profile and companies (F4). */
export function useProfile() {
  const { result, loading, error, refetch } = useQuery(MyProfileDocument, {}, { fetchPolicy: 'cache-and-network' });
  return { profile: computed(() => result.value?.me ?? null), loading, error, refresh: () => refetch() };
}

/**
 * Saves the short name the administrator gives a company (only they see it). An empty name removes it.
 * The answer updates the shared cache, so the header's company selector shows it at once.
 */
export function useCompanyShortName() {
  const { mutate, loading } = useMutation(SetCompanyShortNameDocument);
  const save = (companyId: string, shortName: string): Promise<Outcome> =>
    attempt(async () => {
      await mutate({ companyId, shortName: shortName.trim() || null });
      return {};
    });
  return { save, saving: loading };
}

export interface EmailChange {
  email: string;
  currentPassword: string;
}

/** Changes the e-mail; the answer lands in the shared cache, which the kit's session follows. */
export function useChangeEmail() {
  const { mutate } = useMutation(ChangeEmailDocument);
  const save = (input: EmailChange): Promise<Outcome> =>
    attempt(async () => {
      await mutate({ email: input.email.trim(), currentPassword: input.currentPassword });
      return {};
    });
  return { save };
}

export interface PasswordChange {
  currentPassword: string;
  password: string;
  passwordRepeat: string;
}

/** Changes the password: the gateway ends every other session and gives this browser a new one. */
export function useChangePassword() {
  const { mutate } = useMutation(ChangePasswordDocument);
  const save = (input: PasswordChange): Promise<Outcome> =>
    attempt(async () => {
      await mutate({ ...input });
      return {};
    });
  return { save };
}
