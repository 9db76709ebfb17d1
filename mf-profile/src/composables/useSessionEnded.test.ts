import { loadSession, navigate } from '@cabinet/kit';
import { nextTick, ref } from 'vue';
import { useSessionEnded } from './useSessionEnded';

const kit = { signedIn: ref(true) };
jest.mock('@cabinet/kit', () => ({
  apolloClient: { clearStore: jest.fn().mockResolvedValue([]) },
  loadSession: jest.fn(),
  navigate: jest.fn(),
  get signedIn() {
    return kit.signedIn;
  },
}));

const flush = async () => {
  await nextTick();
  await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('useSessionEnded', () => {
  beforeEach(() => {
    jest.clearAllMocks();
    kit.signedIn.value = true;
  });

  it('sends the browser to log in when `me` answers null for a session the kit still holds', async () => {
    (loadSession as jest.Mock).mockImplementation(async () => {
      kit.signedIn.value = false;
      return null;
    });
    const result = ref<{ me?: unknown } | undefined>(undefined);
    useSessionEnded(result);
    result.value = { me: null };
    await flush();
    expect(loadSession).toHaveBeenCalledWith(true);
    expect(navigate).toHaveBeenCalledWith(expect.stringMatching(/^\/login\?expired=1&next=/));
  });

  it('stays while the administrator is answered', async () => {
    const result = ref<{ me?: unknown } | undefined>(undefined);
    useSessionEnded(result);
    result.value = { me: { id: 'QWRtaW5pc3RyYXRvcjox' } };
    await flush();
    expect(loadSession).not.toHaveBeenCalled();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('stays when the gateway still knows the session on a second look', async () => {
    (loadSession as jest.Mock).mockResolvedValue({ id: 'QWRtaW5pc3RyYXRvcjox' });
    const result = ref<{ me?: unknown } | undefined>(undefined);
    useSessionEnded(result);
    result.value = { me: null };
    await flush();
    expect(navigate).not.toHaveBeenCalled();
  });
});
