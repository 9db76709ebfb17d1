import { formatDuration, formatVolumeKb } from './useUsageFormat';

describe('usage formatting', () => {
  it('writes call time in minutes and seconds, as the usage details file does', () => {
    expect(formatDuration(45, 'en')).toBe('45\u00a0sec');
    expect(formatDuration(303, 'en')).toBe('5\u00a0min\u00a03\u00a0sec');
    expect(formatDuration('3600', 'ru')).toBe('60\u00a0мин\u00a00\u00a0сек');
  });

  it('keeps long totals exact and grouped', () => {
    expect(formatDuration('9007199254740993', 'en')).toBe('150,119,987,579,016\u00a0min\u00a033\u00a0sec');
  });

  it('writes data in megabytes with two decimals, rounding half up', () => {
    expect(formatVolumeKb(1536, 'en')).toBe('1.50\u00a0MB');
    expect(formatVolumeKb('1', 'en')).toBe('0.00\u00a0MB');
    expect(formatVolumeKb('6', 'kk')).toBe('0,01\u00a0МБ');
    expect(formatVolumeKb('5242880', 'ru')).toBe('5\u00a0120,00\u00a0МБ');
  });

  it('shows a dash for a missing value', () => {
    expect(formatDuration(null, 'en')).toBe('—');
    expect(formatVolumeKb(undefined, 'en')).toBe('—');
  });
});
