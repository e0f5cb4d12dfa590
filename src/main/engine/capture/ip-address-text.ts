/**
 * IPv6 text in RFC 5952 form (lowercase, longest zero run as "::", leftmost on a tie) with the
 * embedded-IPv4 forms that Wireshark's ws_inet_ntop6 prints (::a.b.c.d, ::ffff:a.b.c.d).
 * AddressBook (address-book.ts) formats each address of a capture once with it.
 */
export function formatIpv6(data: Uint8Array, offset: number): string {
  const groups: number[] = [];
  for (let index = 0; index < 8; index++) groups.push((data[offset + 2 * index]! << 8) | data[offset + 2 * index + 1]!);
  let bestStart = -1;
  let bestLength = 0;
  for (let index = 0; index < 8;) {
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
