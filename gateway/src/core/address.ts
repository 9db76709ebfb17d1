import { isIPv4, isIPv6 } from 'node:net';

/**
 * The unit a client address is held to a limit by: an IPv4 address as it is, and the /64 network of an IPv6 one —
 * what one subscriber line is given, so that walking through its 2^64 addresses does not reset a limit. An
 * IPv4-mapped IPv6 address is its IPv4 address.
 */
export function limitedAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
