import { MeDocument } from '../graphql/generated/graphql';
import { apolloClient } from './apollo';
import { companies, companyLabel, selectCompany, selectedCompany } from './company';
import { signIn } from './session';

const administrator = (id: string) => ({
  __typename: 'Administrator' as const,
  id,
  name: 'Петров Иван',
  phone: '77012112170',
  email: 'petrov@example.kz',
  language: 'EN' as const,
  companies: [
    { __typename: 'Company' as const, id: 'C1', bin: '750750750750', name: 'TOO Кабинет', shortName: null },
    { __typename: 'Company' as const, id: 'C2', bin: '800800800800', name: 'Филиал TOO Кабинет', shortName: 'Branch' },
  ],
});

describe('company selection', () => {
  beforeEach(() => localStorage.clear());

  it('starts with the first company granted', () => {
    signIn(administrator('A1'));
    expect(companies.value).toHaveLength(2);
    expect(selectedCompany.value?.id).toBe('C1');
  });

  it('remembers the choice per administrator', async () => {
    signIn(administrator('A1'));
    selectCompany('C2');
    expect(selectedCompany.value?.id).toBe('C2');
    expect(localStorage.getItem('cabinet.company.A1')).toBe('C2');
    apolloClient.writeQuery({ query: MeDocument, data: { me: null } });
    signIn(administrator('A2'));
    await Promise.resolve();
    expect(selectedCompany.value?.id).toBe('C1');
  });

  it('names a company by the short name the administrator gave it', () => {
    expect(companyLabel({ name: 'Филиал TOO Кабинет', shortName: 'Branch' })).toBe('Branch');
    expect(companyLabel({ name: 'TOO Кабинет', shortName: '  ' })).toBe('TOO Кабинет');
  });
});
