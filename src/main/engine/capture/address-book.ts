/**
 * Every IP address of one capture as a small dense number (0, 1, 2, …), found by its bytes in an
 * open-addressing hash table (linear probing, load ≤ 1/2): the analysis keys streams and compares
 * endpoints by these numbers, never by strings. Text is made once per address, on first request.
 * IPv4 and IPv6 live in one table; the version is part of the key (so 1.2.3.4 ≠ ::ffff:1.2.3.4).
 *
 * Memory: about 60 bytes an address plus its text once asked for; ids are never reused, so a
 * capture that names a million hosts holds a million entries (its streams cost more than that).
 */
import { formatIpv6 } from './ip-address-text';

const INITIAL_ADDRESSES = 256;
const EMPTY = 0;

export class AddressBook {
  /** addresses held */
  count = 0;
  /** per id: 4 or 6 */
  private version = new Uint8Array(INITIAL_ADDRESSES);
  /** per id: the 128 address bits as four big-endian words (IPv4: the address in the last word) */
  private words = new Uint32Array(4 * INITIAL_ADDRESSES);
  private texts: (string | undefined)[] = [];
  /** id + 1, or EMPTY */
  private slots = new Int32Array(4 * INITIAL_ADDRESSES);
  /** the last IPv4 address asked for and its id: a capture's packets mostly repeat the one before */
  private lastIpv4 = -1;
  private lastIpv4Id = -1;

  /** The id of the IPv4 address in data[offset, offset + 4). */
  ipv4(data: Uint8Array, offset: number): number {
    const word = ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
    if (word === this.lastIpv4) return this.lastIpv4Id;
    const id = this.find(4, 0, 0, 0, word);
    this.lastIpv4 = word;
    this.lastIpv4Id = id;
    return id;
  }

  /** The id of the IPv6 address in data[offset, offset + 16). */
  ipv6(data: Uint8Array, offset: number): number {
    return this.find(6, word32(data, offset), word32(data, offset + 4), word32(data, offset + 8), word32(data, offset + 12));
  }

  /** Dotted quad or RFC 5952 text (no brackets) of address `id`. */
  text(id: number): string {
    let text = this.texts[id];
    if (text === undefined) {
      text = this.version[id] === 4 ? ipv4Of(this.words[4 * id + 3]!) : formatIpv6(this.bytesOf(id), 0);
      this.texts[id] = text;
    }
    return text;
  }

  isIpv6(id: number): boolean {
    return this.version[id] === 6;
  }

  private find(version: number, w0: number, w1: number, w2: number, w3: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const words = this.words;
    for (let slot = hash(version, w0, w1, w2, w3) & mask; ; slot = (slot + 1) & mask) {
      const value = slots[slot]!;
      if (value === EMPTY) return this.add(version, w0, w1, w2, w3);
      const id = value - 1;
      const base = 4 * id;
      if (words[base + 3] === w3 && words[base + 2] === w2 && words[base + 1] === w1 && words[base] === w0 && this.version[id] === version)
        return id;
    }
  }

  private add(version: number, w0: number, w1: number, w2: number, w3: number): number {
    const id = this.count++;
    if (id === this.version.length) this.growEntries();
    this.version[id] = version;
    const base = 4 * id;
    this.words[base] = w0;
    this.words[base + 1] = w1;
    this.words[base + 2] = w2;
    this.words[base + 3] = w3;
    if (2 * this.count > this.slots.length) this.rehash(2 * this.slots.length);
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    const base = 4 * id;
    const words = this.words;
    let slot = hash(this.version[id]!, words[base]!, words[base + 1]!, words[base + 2]!, words[base + 3]!) & mask;
    while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    slots[slot] = id + 1;
  }

  private growEntries(): void {
    const version = new Uint8Array(2 * this.version.length);
    version.set(this.version);
    this.version = version;
    const words = new Uint32Array(2 * this.words.length);
    words.set(this.words);
    this.words = words;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.count; id++) this.place(id);
  }

  private bytesOf(id: number): Uint8Array {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    for (let word = 0; word < 4; word++) view.setUint32(4 * word, this.words[4 * id + word]!, false);
    return bytes;
  }
}

function word32(data: Uint8Array, offset: number): number {
  return ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
}

function ipv4Of(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

/** murmur3-style mixing of the key words: neighbouring addresses land far apart */
function hash(version: number, w0: number, w1: number, w2: number, w3: number): number {
  let value = Math.imul(w3 ^ version, 0xcc9e2d51);
  value = Math.imul(value ^ Math.imul(w2, 0x1b873593), 0x85ebca6b) ^ w1;
  value = Math.imul(value ^ (value >>> 15), 0xc2b2ae35) ^ w0;
  value ^= value >>> 13;
  value = Math.imul(value, 0x85ebca6b);
  return value ^ (value >>> 16);
}
