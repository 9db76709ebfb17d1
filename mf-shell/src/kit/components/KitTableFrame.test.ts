import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import { createI18n } from 'vue-i18n';
import en from '../locales/en.json';
import KitTableFrame from './KitTableFrame.vue';

const i18n = () => createI18n({ legacy: false, locale: 'en', messages: { en: { kit: en } } });

/** jsdom lays nothing out: each test states how wide the frame and its table are, then lets the observer report. */
const observers: Array<() => void> = [];
class FakeResizeObserver {
  constructor(private readonly callback: () => void) {
    observers.push(() => this.callback());
  }
  observe(): void {}
  disconnect(): void {}
}

const widths = (element: Element, scrollWidth: number, clientWidth: number) => {
  Object.defineProperty(element, 'scrollWidth', { configurable: true, value: scrollWidth });
  Object.defineProperty(element, 'clientWidth', { configurable: true, value: clientWidth });
};

describe('KitTableFrame', () => {
  const original = globalThis.ResizeObserver;
  beforeEach(() => {
    observers.length = 0;
    globalThis.ResizeObserver = FakeResizeObserver as unknown as typeof ResizeObserver;
  });
  afterEach(() => {
    globalThis.ResizeObserver = original;
  });

  it('is a named region in the tab order only while its table is wider than it', async () => {
    const frame = mount(KitTableFrame, {
      props: { label: 'Numbers' },
      slots: { default: '<table><tbody><tr><td>1</td></tr></tbody></table>' },
      global: { plugins: [i18n()] },
    });
    const element = frame.element as HTMLElement;
    expect(element.getAttribute('tabindex')).toBeNull();
    expect(element.getAttribute('role')).toBeNull();
    expect(element.getAttribute('aria-label')).toBeNull();

    widths(element, 900, 390);
    observers.forEach((report) => report());
    await nextTick();
    expect(element.getAttribute('tabindex')).toBe('0');
    expect(element.getAttribute('role')).toBe('region');
    expect(element.getAttribute('aria-label')).toBe('Numbers, table');

    widths(element, 1200, 1200);
    observers.forEach((report) => report());
    await nextTick();
    expect(element.getAttribute('tabindex')).toBeNull();
    expect(element.getAttribute('role')).toBeNull();
    frame.unmount();
  });

  it('keeps the table inside it', () => {
    const frame = mount(KitTableFrame, { props: { label: 'Sessions' }, slots: { default: '<table data-test="t"></table>' }, global: { plugins: [i18n()] } });
    expect(frame.classes()).toContain('k-table-wrap');
    expect(frame.find('[data-test="t"]').exists()).toBe(true);
  });
});
