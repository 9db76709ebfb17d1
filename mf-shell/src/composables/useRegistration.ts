import { apolloClient, useAttempt, type Outcome } from '@cabinet/kit';
import { RequestRegistrationDocument, type RegistrationInput } from '../graphql/generated/graphql';

/** A company's request to join the portal: `request` answers with the registration's ID, `busy` while it is sent. */
export function useRegistration() {
  const { run, busy, error } = useAttempt();
  function request(input: RegistrationInput): Promise<Outcome<{ id: string }>> {
    return run(async () => {
      const { data } = await apolloClient.mutate({ mutation: RequestRegistrationDocument, variables: { input } });
      if (!data) throw new Error('The API returned no registration');
      return { id: data.requestRegistration.id };
    });
  }
  return { busy, error, request };
}
