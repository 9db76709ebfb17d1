import { MeDocument } from '../graphql/generated/graphql';
import { apolloClient } from './apollo';
import { onSignedOut, session, signIn, type Administrator } from './session';

// No gateway answers here: the session-watch socket is left out (the browser tests exercise it).
jest.mock('./apollo', () => ({ ...jest.requireActual('./apollo'), watchSessionEnd: jest.fn(), stopWatchingSessionEnd: jest.fn() }));

const administrator: Administrator = {
  __typename: 'Administrator',
  id: 'QWRtaW5pc3RyYXRvcjox',
  name: 'Петров Иван',
  phone: '77012112170',
  email: 'petrov.ivan@example.kz',
  language: 'EN',
  companies: [],
} as unknown as Administrator;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('session', () => {
  it('follows the administrator in the cache, and signs out when a query answers `me` with null', async () => {
    const reasons: string[] = [];
    onSignedOut((reason) => reasons.push(reason));
    signIn(administrator);
    await settle();
    expect(session.status).toBe('signed-in');

    apolloClient.writeQuery({ query: MeDocument, data: { me: { ...administrator, email: 'new@example.kz' } } });
    await settle();
    expect(session.administrator?.email).toBe('new@example.kz');
    expect(reasons).toEqual([]);

    // What a section's query writes when the session was ended in another browser.
    apolloClient.writeQuery({ query: MeDocument, data: { me: null } });
    await settle();
    expect(session.status).toBe('signed-out');
    expect(session.expired).toBe(true);
    expect(reasons).toEqual(['expired']);
  });
});
