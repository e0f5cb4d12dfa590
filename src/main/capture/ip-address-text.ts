/**
 * IP addresses as text, cached: a capture names few hosts but millions of packets, so each
 * address is formatted once and found again by its numeric value (no per-packet strings).
 * IPv6 text follows RFC 5952 (lowercase, longest zero run as "::", leftmost on a tie) with
 * the embedded-IPv4 forms that Wireshark's ws_inet_ntop6 prints (::a.b.c.d, ::ffff:a.b.c.d).
 */

/** Entries kept before a cache is emptied and refilled: bounds memory on scans of many hosts. */
const MAX_CACHED_ADDRESSES = 65_536;

/**
 * Split by the address' top two bits so every key is below 2^30: a V8 small integer, which a Map
 * hashes without allocating (a full uint32 key would be boxed on every lookup, twice a packet).
 */
const ipv4Caches = [new Map<number, string>(), new Map<number, string>(), new Map<number, string>(), new Map<number, string>()];

/** Dotted quad of the 4 bytes at `offset`. */
export function ipv4Text(data: Uint8Array, offset: number): string {
  const cache = ipv4Caches[data[offset]! >>> 6]!;
  const key = ((data[offset]! & 0x3f) << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!;
  let text = cache.get(key);
  if (text === undefined) {
    text = `${data[offset]}.${data[offset + 1]}.${data[offset + 2]}.${data[offset + 3]}`;
    if (cache.size >= MAX_CACHED_ADDRESSES / 4) cache.clear();
    cache.set(key, text);
  }
  return text;
}

interface Ipv6Entry {
  low: number;
  high: number;
  middleHigh: number;
  middleLow: number;
  text: string;
}

/** keyed by the lowest 30 bits (the most varied; a small integer, as for IPv4), then compared on all 128 */
const ipv6Cache = new Map<number, Ipv6Entry[]>();
let ipv6CacheSize = 0;

function word32(data: Uint8Array, offset: number): number {
  return ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
}

/** Compressed IPv6 text of the 16 bytes at `offset` (no brackets). */
export function ipv6Text(data: Uint8Array, offset: number): string {
  const high = word32(data, offset);
  const middleHigh = word32(data, offset + 4);
  const middleLow = word32(data, offset + 8);
  const low = word32(data, offset + 12);
  const key = low & 0x3fffffff;
  let bucket = ipv6Cache.get(key);
  if (bucket) {
    for (const entry of bucket) {
      if (entry.low === low && entry.high === high && entry.middleHigh === middleHigh && entry.middleLow === middleLow) return entry.text;
    }
  } else {
    if (ipv6CacheSize >= MAX_CACHED_ADDRESSES) {
      ipv6Cache.clear();
      ipv6CacheSize = 0;
    }
    bucket = [];
    ipv6Cache.set(key, bucket);
  }
  const text = formatIpv6(data, offset);
  bucket.push({ low, high, middleHigh, middleLow, text });
  ipv6CacheSize += 1;
  return text;
}

export function formatIpv6(data: Uint8Array, offset: number): string {
  const groups: number[] = [];
  for (let index = 0; index < 8; index++) groups.push((data[offset + 2 * index]! << 8) | data[offset + 2 * index + 1]!);
  let bestStart = -1;
  let bestLength = 0;
  for (let index = 0; index < 8; ) {
    if (groups[index] !== 0) {
      index += 1;
      continue;
    }
    let end = index;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - index > bestLength) {
      bestStart = index;
      bestLength = end - index;
    }
    index = end;
  }
  if (bestLength < 2) bestStart = -1;
  const embeddedIpv4 = bestStart === 0 && (bestLength === 6 || (bestLength === 5 && groups[5] === 0xffff));
  const parts: string[] = [];
  for (let index = 0; index < 8; index++) {
    if (index === bestStart) {
      parts.push(index === 0 ? ':' : '');
      index += bestLength - 1;
      if (index === 7) parts.push('');
      continue;
    }
    if (embeddedIpv4 && index === 6) {
      parts.push(`${data[offset + 12]}.${data[offset + 13]}.${data[offset + 14]}.${data[offset + 15]}`);
      break;
    }
    parts.push(groups[index]!.toString(16));
  }
  return parts.join(':');
}
