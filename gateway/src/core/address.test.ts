import { limitedAddress } from './address';

describe('the unit a client address is limited by', () => {
  it('is an IPv4 address itself, also written as IPv4-mapped IPv6', () => {
    expect(limitedAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(limitedAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 network of an IPv6 address, however it is written', () => {
    expect(limitedAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(limitedAddress('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(limitedAddress('2001:DB8:1:2::ffff')).toBe('2001:db8:1:2::/64');
    expect(limitedAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitedAddress('::1')).toBe('0:0:0:0::/64');
    expect(limitedAddress('2001:db8:1:3::1')).not.toBe(limitedAddress('2001:db8:1:2::1'));
  });

  it('leaves what is not an address as it is', () => {
    expect(limitedAddress('')).toBe('');
  });
});
