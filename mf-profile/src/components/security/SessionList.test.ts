import { mountWithMessages } from '../../testing';
import { describeBrowser } from './browser';
import SessionList from './SessionList.vue';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const session = (id: string, current: boolean, userAgent: string | null) => ({
  id,
  current,
  userAgent,
  clientAddress: '10.0.0.7',
  createdAt: '2025-03-01T09:00:00+05:00',
  lastSeenAt: '2025-03-01T10:00:00+05:00',
  expiresAt: '2025-03-01T21:00:00+05:00',
});

describe('SessionList', () => {
  it('marks the current session and offers to end only the others', async () => {
    const list = mountWithMessages(SessionList, { props: { sessions: [session('s1', true, CHROME), session('s2', false, IPHONE)] } });
    const rows = list.findAll('tbody tr');
    expect(rows[0].find('[data-test="current-session"]').text()).toBe('This browser');
    expect(rows[0].find('button').exists()).toBe(false);
    expect(rows[1].find('[data-test="current-session"]').exists()).toBe(false);
    await rows[1].find('button').trigger('click');
    expect(list.emitted('end')).toEqual([['s2']]);
    await list.find('[data-test="end-other-sessions"]').trigger('click');
    expect(list.emitted('endOthers')).toHaveLength(1);
  });

  it('cannot sign out elsewhere when this is the only session', () => {
    const list = mountWithMessages(SessionList, { props: { sessions: [session('s1', true, CHROME)] } });
    expect(list.find('[data-test="end-other-sessions"]').attributes('disabled')).toBeDefined();
    expect(list.text()).toContain('You are signed in only here.');
  });
});

describe('describeBrowser', () => {
  it('names the browser and the system', () => {
    expect(describeBrowser(CHROME)).toBe('Chrome 130 · Linux');
    expect(describeBrowser(IPHONE)).toBe('Safari 17 · iOS');
    expect(describeBrowser('curl/8.5.0')).toBeNull();
    expect(describeBrowser(null)).toBeNull();
  });
});
