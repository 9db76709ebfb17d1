import { parseSeedArgs, SeedArgsError } from './seed-args';

describe('parseSeedArgs', () => {
  it('seeds the demo without arguments', () => {
    expect(parseSeedArgs([])).toEqual({ kind: 'demo' });
  });

  it('reads the bulk options in both spellings', () => {
    expect(parseSeedArgs(['--companies', '2', '--numbers', '100000'])).toEqual({ kind: 'bulk', companies: 2, numbers: 100000 });
    expect(parseSeedArgs(['--numbers=5', '--companies=1', '--seed=0'])).toEqual({ kind: 'bulk', companies: 1, numbers: 5, seed: 0 });
  });

  it.each([[['--help']], [['-h']], [['--companies', '1', '--help']]])('shows the usage for %j', (argv) => {
    expect(parseSeedArgs(argv)).toEqual({ kind: 'help' });
  });

  it.each([
    [['--companies', '0', '--numbers', '10']],
    [['--companies', '-1', '--numbers', '10']],
    [['--companies', '1.5', '--numbers', '10']],
    [['--companies', 'ten', '--numbers', '10']],
    [['--companies', '1']],
    [['--numbers', '10']],
    [['--seed', '1']],
    [['--companies']],
    [['--companies', '--numbers', '10']],
    [['--companies', '1', '--numbers', '10', '--seed', '-3']],
    [['--companies', '1', '--numbers', '10', '--seed=-3']],
    [['--companies', '1', '--companies', '2', '--numbers', '10']],
    [['--companies=1', '--numbers', '10', '--numbers=10']],
    [['--count', '10']],
    [['--help=yes']],
    [['demo']],
  ])('rejects %j', (argv) => {
    expect(() => parseSeedArgs(argv)).toThrow(SeedArgsError);
  });
});
