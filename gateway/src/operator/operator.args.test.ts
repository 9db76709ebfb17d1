import { OperatorArgsError, parseOperatorArgs } from './operator.args';

describe('parseOperatorArgs', () => {
  it.each([[[]], [['help']], [['--help']]])('shows the usage for %j', (argv) => {
    expect(parseOperatorArgs(argv)).toEqual({ kind: 'help' });
  });

  it('reads a grant in both spellings of its options', () => {
    expect(parseOperatorArgs(['grant', '--phone', '77010000001', '--bin', '123456789012'])).toEqual({
      kind: 'grant',
      phone: '77010000001',
      bin: '123456789012',
    });
    expect(parseOperatorArgs(['revoke', '--bin=123456789012', '--phone=77010000001'])).toEqual({ kind: 'revoke', phone: '77010000001', bin: '123456789012' });
  });

  it('reads the phone of a removal, and refuses one without it', () => {
    expect(parseOperatorArgs(['remove', '--phone', '77010000001'])).toEqual({ kind: 'remove', phone: '77010000001' });
    expect(() => parseOperatorArgs(['remove'])).toThrow('--phone is required');
  });

  it('lists pending requests unless a status is given', () => {
    expect(parseOperatorArgs(['requests'])).toEqual({ kind: 'requests', status: 'PENDING' });
    expect(parseOperatorArgs(['requests', '--status', 'ALL'])).toEqual({ kind: 'requests', status: 'ALL' });
  });

  it('reads the actions log’s limit, 100 by default', () => {
    expect(parseOperatorArgs(['log'])).toEqual({ kind: 'log', limit: 100 });
    expect(parseOperatorArgs(['log', '--limit', '20'])).toEqual({ kind: 'log', limit: 20 });
    expect(() => parseOperatorArgs(['log', '--limit', '0'])).toThrow('--limit must be from 1 to 10000');
  });

  it('reads the request id of approve and reject', () => {
    expect(parseOperatorArgs(['approve', '12'])).toEqual({ kind: 'approve', requestId: 12 });
    expect(parseOperatorArgs(['reject', '7'])).toEqual({ kind: 'reject', requestId: 7 });
  });

  it('reads the SIM cards to add, given one by one or counted', () => {
    expect(parseOperatorArgs(['add-sims', '8997000000000000001', '--count', '3', '8997000000000000002'])).toEqual({
      kind: 'add-sims',
      count: 3,
      iccids: ['8997000000000000001', '8997000000000000002'],
    });
    expect(parseOperatorArgs(['add-sims'])).toEqual({ kind: 'add-sims', count: 0, iccids: [] });
  });

  it.each([
    [['grant', '--phone', '77010000001']],
    [['grant', '--bin', '123456789012']],
    [['grant', '--phone']],
    [['grant', '--phone', '77010000001', '--bin', '123456789012', '--company', '1']],
    [['grant', '--phone', '77010000001', '--bin', '123456789012', 'extra']],
    [['requests', '--state', 'ALL']],
    [['approve']],
    [['approve', 'twelve']],
    [['approve', '12', '13']],
    [['reject', '--id', '12']],
    [['add-sims', '--count', '-1']],
    [['add-sims', '--count', '100001']],
    [['add-sims', '--count', 'many']],
    [['add-sims', '--size', '3']],
    [['promote']],
  ])('rejects %j', (argv) => {
    expect(() => parseOperatorArgs(argv)).toThrow(OperatorArgsError);
  });
});
