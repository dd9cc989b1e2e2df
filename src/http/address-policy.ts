import { isIP } from 'node:net';

/** Why an address is not a public internet address (the SSRF guard of media downloads refuses these). */
export type NonPublicReason =
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** Host names of cloud metadata services, refused before any DNS lookup. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

// [first address as a number, prefix length, reason]; the first match wins, so specific ranges come first.
const V4_RANGES: readonly [number, number, NonPublicReason][] = [
  [v4('169.254.169.254'), 32, 'metadata'],
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'carrier-grade NAT'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'reserved'],
  [v4('203.0.113.0'), 24, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

/**
 * Why `host` must not be fetched without `allowPrivateNetworks`, or `undefined` for a public address or an
 * ordinary host name (whose resolved addresses are checked separately). Handles IPv4, IPv6 (zone ids,
 * IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16` — the embedded IPv4 address is checked)
 * and the metadata host names (`metadata.google.internal`).
 * @example nonPublicReason('169.254.169.254') // 'metadata'
 * @example nonPublicReason('fd00::1') // 'private'
 */
export function nonPublicReason(host: string): NonPublicReason | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const name = bare.toLowerCase().replace(/\.$/, '');
  if (METADATA_HOSTS.has(name)) return 'metadata';
  const address = name.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return v4Reason(v4(address));
  if (family === 6) return v6Reason(v6Groups(address));
  return undefined;
}

function v4(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function v4Reason(value: number): NonPublicReason | undefined {
  if (value === 0xffffffff) return 'reserved';
  for (const [first, bits, reason] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (value >= first && value < first + size) return reason;
  }
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (a dotted IPv4 tail becomes the last two groups). */
function v6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] != null) {
    const value = v4(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function v6Reason(groups: number[]): NonPublicReason | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = (high: number, low: number) => v4Reason(high * 65536 + low);
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && g5 === 0 && g6 === 0) return g7 === 0 ? 'unspecified' : g7 === 1 ? 'loopback' : 'reserved';
  if (upperZero && g5 === 0xffff) return embedded(g6, g7);
  // IPv4-compatible (::a.b.c.d) addresses are deprecated: never a public destination.
  if (upperZero && g5 === 0) return embedded(g6, g7) ?? 'reserved';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private';
  if (g0 === 0x2002) return embedded(g1, g2);
  if (
    g0 === 0xfd00 &&
    g1 === 0x0ec2 &&
    g2 === 0 &&
    g3 === 0 &&
    g4 === 0 &&
    g5 === 0 &&
    g6 === 0 &&
    g7 === 0x254
  ) {
    return 'metadata';
  }
  if ((g0 & 0xfe00) === 0xfc00) return 'private';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'reserved';
  return undefined;
}
