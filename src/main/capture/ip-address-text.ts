/**
 * IP addresses as text, cached: a capture names few hosts but millions of packets, so each
 * address is formatted once and found again by its numeric value (no per-packet strings).
 * IPv6 text follows RFC 5952 (lowercase, longest zero run as "::", leftmost on a tie) with
 * the embedded-IPv4 forms that Wireshark's ws_inet_ntop6 prints (::a.b.c.d, ::ffff:a.b.c.d).
 */

/** Entries kept before a cache is emptied and refilled: bounds memory on scans of many hosts. */
const MAX_CACHED_ADDRESSES = 65_536;

const ipv4Cache = new Map<number, string>();

/** Dotted quad of the 4 bytes at `offset`. */
export function ipv4Text(data: Uint8Array, offset: number): string {
  const value = ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
  let text = ipv4Cache.get(value);
  if (text === undefined) {
    text = `${data[offset]}.${data[offset + 1]}.${data[offset + 2]}.${data[offset + 3]}`;
    if (ipv4Cache.size >= MAX_CACHED_ADDRESSES) ipv4Cache.clear();
    ipv4Cache.set(value, text);
  }
  return text;
}

interface Ipv6Entry {
  high: number;
  middleHigh: number;
  middleLow: number;
  text: string;
}

/** keyed by the lowest 32 bits (the most varied), then compared on the rest */
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
  let bucket = ipv6Cache.get(low);
  if (bucket) {
    for (const entry of bucket) {
      if (entry.high === high && entry.middleHigh === middleHigh && entry.middleLow === middleLow) return entry.text;
    }
  } else {
    if (ipv6CacheSize >= MAX_CACHED_ADDRESSES) {
      ipv6Cache.clear();
      ipv6CacheSize = 0;
    }
    bucket = [];
    ipv6Cache.set(low, bucket);
  }
  const text = formatIpv6(data, offset);
  bucket.push({ high, middleHigh, middleLow, text });
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
