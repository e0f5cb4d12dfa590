/**
 * LINKTYPE_* numbers we name (tcpdump.org/linktypes.html; draft-ietf-opsawg-pcaplinktype).
 * Names follow the LINKTYPE_ constants without the prefix, as the corpus oracle writes them.
 */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_ARCNET_BSD = 7;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_FDDI = 10;
export const LINKTYPE_RAW_OPENBSD = 12;
export const LINKTYPE_RAW_BSDOS = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_ARCNET_LINUX = 129;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_NFLOG = 239;
export const LINKTYPE_LINUX_SLL2 = 276;

const names: Record<number, string> = {
  [LINKTYPE_NULL]: 'NULL',
  [LINKTYPE_ETHERNET]: 'ETHERNET',
  [LINKTYPE_ARCNET_BSD]: 'ARCNET_BSD',
  [LINKTYPE_PPP]: 'PPP',
  [LINKTYPE_FDDI]: 'FDDI',
  [LINKTYPE_RAW_OPENBSD]: 'RAW',
  [LINKTYPE_RAW_BSDOS]: 'RAW',
  [LINKTYPE_PPP_HDLC]: 'PPP_HDLC',
  [LINKTYPE_RAW]: 'RAW',
  [LINKTYPE_C_HDLC]: 'C_HDLC',
  [LINKTYPE_LOOP]: 'LOOP',
  [LINKTYPE_LINUX_SLL]: 'LINUX_SLL',
  105: 'IEEE802_11',
  [LINKTYPE_IEEE802_11_RADIOTAP]: 'IEEE802_11_RADIOTAP',
  [LINKTYPE_ARCNET_LINUX]: 'ARCNET_LINUX',
  [LINKTYPE_IPV4]: 'IPV4',
  [LINKTYPE_IPV6]: 'IPV6',
  [LINKTYPE_NFLOG]: 'NFLOG',
  274: 'EBHSCR',
  [LINKTYPE_LINUX_SLL2]: 'LINUX_SLL2',
};

/** "ETHERNET", "LINUX_SLL2", …; unnamed types come out as "LINKTYPE_<n>". */
export function linkTypeName(linkType: number): string {
  return names[linkType] ?? `LINKTYPE_${linkType}`;
}
