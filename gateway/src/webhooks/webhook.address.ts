import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Why an address is not one of the public Internet's. */
export type AddressRange = 'UNSPECIFIED' | 'LOOPBACK' | 'PRIVATE' | 'LINK_LOCAL' | 'CGNAT' | 'MULTICAST' | 'UNIQUE_LOCAL' | 'RESERVED';

const RANGES: [AddressRange, string, number, 'ipv4' | 'ipv6'][] = [
  ['UNSPECIFIED', '0.0.0.0', 8, 'ipv4'],
  ['PRIVATE', '10.0.0.0', 8, 'ipv4'],
  ['CGNAT', '100.64.0.0', 10, 'ipv4'],
  ['LOOPBACK', '127.0.0.0', 8, 'ipv4'],
  ['LINK_LOCAL', '169.254.0.0', 16, 'ipv4'],
  ['PRIVATE', '172.16.0.0', 12, 'ipv4'],
  ['RESERVED', '192.0.0.0', 24, 'ipv4'],
  ['RESERVED', '192.0.2.0', 24, 'ipv4'],
  ['PRIVATE', '192.168.0.0', 16, 'ipv4'],
  ['RESERVED', '198.18.0.0', 15, 'ipv4'],
  ['RESERVED', '198.51.100.0', 24, 'ipv4'],
  ['RESERVED', '203.0.113.0', 24, 'ipv4'],
  ['MULTICAST', '224.0.0.0', 4, 'ipv4'],
  ['RESERVED', '240.0.0.0', 4, 'ipv4'],
  ['UNSPECIFIED', '::', 128, 'ipv6'],
  ['LOOPBACK', '::1', 128, 'ipv6'],
  ['RESERVED', '64:ff9b::', 96, 'ipv6'],
  ['RESERVED', '100::', 64, 'ipv6'],
  ['RESERVED', '2001:db8::', 32, 'ipv6'],
  ['UNIQUE_LOCAL', 'fc00::', 7, 'ipv6'],
  ['LINK_LOCAL', 'fe80::', 10, 'ipv6'],
  ['UNIQUE_LOCAL', 'fec0::', 10, 'ipv6'],
  ['MULTICAST', 'ff00::', 8, 'ipv6'],
];
const LISTS = new Map<AddressRange, BlockList>();
for (const [range, network, prefix, family] of RANGES) {
  if (!LISTS.has(range)) LISTS.set(range, new BlockList());
  LISTS.get(range)!.addSubnet(network, prefix, family);
}

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d` or `::ffff:xxxx:xxxx`) stands for, or undefined. */
function mappedIpv4(address: string): string | undefined {
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (dotted && isIP(dotted[1]) === 4) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** The non-public range an address is in, or null for a public address. Brackets of a URL's IPv6 host are accepted. */
export function addressRange(input: string): AddressRange | null {
  const address = input.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(address);
  if (family === 0) throw new TypeError(`${input} is not an IP address`);
  const mapped = family === 6 ? mappedIpv4(address) : undefined;
  const [value, type] = mapped ? [mapped, 'ipv4' as const] : [address, family === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  for (const [range, list] of LISTS) if (list.check(value, type)) return range;
  return null;
}

/** Where webhooks may be sent beyond the public Internet (WEBHOOK_ALLOW_LOOPBACK, WEBHOOK_ALLOWED_NETWORKS). */
export interface AddressPolicy {
  /** Loopback addresses (a receiver on this machine, for local testing). */
  allowLoopback: boolean;
  /** CIDRs or addresses allowed although private (a partner's receiver on the operator's network). */
  allowedNetworks: readonly string[];
}

export function allowList(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of networks) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** Whether `entry` is an address or CIDR WEBHOOK_ALLOWED_NETWORKS takes. */
export function isNetworkEntry(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** The range that refuses an address under the policy, or null when webhooks may be sent to it. */
export function refusedRange(address: string, policy: AddressPolicy, allowed = allowList(policy.allowedNetworks)): AddressRange | null {
  const range = addressRange(address);
  if (range === null) return null;
  if (range === 'LOOPBACK' && policy.allowLoopback) return null;
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  if (allowed.check(bare, isIP(bare) === 4 ? 'ipv4' : 'ipv6')) return null;
  return range;
}

export type ResolvedHost =
  { address: string; family: 4 | 6 } | { refused: 'PRIVATE_ADDRESS'; address: string; range: AddressRange } | { refused: 'UNRESOLVABLE' };

/**
 * Resolves a URL's host to the address to connect to. Every address the name has must be allowed: a name that also
 * points at a private address is refused, so that no choice of the resolver's can reach one.
 */
export async function resolveHost(hostname: string, policy: AddressPolicy): Promise<ResolvedHost> {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(bare) !== 0) addresses = [{ address: bare, family: isIP(bare) }];
  else {
    try {
      addresses = await lookup(bare, { all: true, verbatim: true });
    } catch {
      return { refused: 'UNRESOLVABLE' };
    }
  }
  if (addresses.length === 0) return { refused: 'UNRESOLVABLE' };
  const allowed = allowList(policy.allowedNetworks);
  for (const { address } of addresses) {
    const range = refusedRange(address, policy, allowed);
    if (range !== null) return { refused: 'PRIVATE_ADDRESS', address, range };
  }
  return { address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}

/** Loopback host names of a URL, for which plain http is accepted (a receiver on this machine). */
export function isLoopbackHost(hostname: string): boolean {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  return isIP(bare) !== 0 && addressRange(bare) === 'LOOPBACK';
}
