import { parseReleaseArgs, ReleaseUsageError } from './release.args';

describe('parseReleaseArgs', () => {
  it.each([[[]], [['help']], [['--help']]])('shows the usage for %j', (argv) => {
    expect(parseReleaseArgs(argv)).toEqual({ kind: 'help' });
  });

  it('builds and publishes a section by default', () => {
    expect(parseReleaseArgs(['mf-numbers'])).toEqual({ kind: 'deploy', section: 'mf-numbers', build: true, dryRun: false });
  });

  it('reads every deploy option', () => {
    expect(
      parseReleaseArgs([
        'mf-shell',
        '--dist',
        'out',
        '--no-build',
        '--url=http://127.0.0.1:4000',
        '--dry-run',
        '--canary',
        '77010000001,77010000002',
        '--canary-percent',
        '10',
      ]),
    ).toEqual({
      kind: 'deploy',
      section: 'mf-shell',
      dist: 'out',
      build: false,
      url: 'http://127.0.0.1:4000',
      dryRun: true,
      canaryPhones: '77010000001,77010000002',
      canaryPercent: '10',
    });
  });

  it('reads the registry commands', () => {
    expect(parseReleaseArgs(['rollback', 'mf-numbers'])).toEqual({ kind: 'rollback', section: 'mf-numbers' });
    expect(parseReleaseArgs(['promote', 'mf-profile', '--url', 'http://gw'])).toEqual({ kind: 'promote', section: 'mf-profile', url: 'http://gw' });
    expect(parseReleaseArgs(['drop', '--url', 'http://gw', 'mf-documents'])).toEqual({ kind: 'drop', section: 'mf-documents', url: 'http://gw' });
    expect(parseReleaseArgs(['list'])).toEqual({ kind: 'list' });
  });

  it.each([
    [['Not A Section']],
    [['mf-numbers', '--dist']],
    [['mf-numbers', '--force']],
    [['mf-numbers', 'mf-profile']],
    [['mf-numbers', '--dry-run=yes']],
    [['rollback']],
    [['rollback', '--url', 'http://gw']],
    [['promote', 'mf-numbers', 'mf-profile']],
    [['drop', 'mf-numbers', '--dist', 'out']],
    [['list', '--url', 'http://gw']],
    [['list', 'mf-numbers']],
  ])('rejects %j', (argv) => {
    expect(() => parseReleaseArgs(argv)).toThrow(ReleaseUsageError);
  });
});
