/**
 * 4-tuple → current stream index, without an object or a string per packet: a tuple is (low
 * address id, high address id, port pair) — ids from the capture's AddressBook — found in an
 * open-addressing hash table of Int32 slots (linear probing, load ≤ 1/2).
 */

const INITIAL_SLOTS = 4096;

/**
 * Two ports as one key: the first in the high 16 bits, as a signed 32-bit number. Signed, so that
 * it is always a small integer to the JavaScript engine: an unsigned pair at or above 2^31 (any
 * first port from 32768) would be a heap number made for every packet that passes it on.
 */
export function portPair(first: number, second: number): number {
  return (first << 16) | second;
}
/** empty slot marker (slots hold stream index + 1) */
const EMPTY = 0;
const MAX_LOAD = 0.5;

export class TupleIndex {
  /** stream index + 1, or EMPTY */
  private slots = new Int32Array(INITIAL_SLOTS);
  /** the key of the tuple in each slot: the two address ids and the port pair (see portPair) */
  private slotLow = new Int32Array(INITIAL_SLOTS);
  private slotHigh = new Int32Array(INITIAL_SLOTS);
  private slotPorts = new Int32Array(INITIAL_SLOTS);
  private used = 0;

  /** The current stream of (low, high, ports), or -1. */
  get(low: number, high: number, ports: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let slot = hash(low, high, ports) & mask; ; slot = (slot + 1) & mask) {
      const value = slots[slot]!;
      if (value === EMPTY) return -1;
      if (this.slotPorts[slot] === ports && this.slotLow[slot] === low && this.slotHigh[slot] === high) return value - 1;
    }
  }

  /** Room for `tuples` tuples without a rehash (no-op when there is room already; sizes are powers of two). */
  reserve(tuples: number): void {
    let size = this.slots.length;
    while (tuples / size > MAX_LOAD) size *= 2;
    if (size > this.slots.length) this.rehash(size);
  }

  /** Makes `stream` the current stream of (low, high, ports), replacing any earlier one. */
  set(low: number, high: number, ports: number, stream: number): void {
    if ((this.used + 1) / this.slots.length > MAX_LOAD) this.rehash(this.slots.length * 2);
    if (this.place(low, high, ports, stream + 1)) this.used += 1;
  }

  /** Returns true when the slot was empty. */
  private place(low: number, high: number, ports: number, value: number): boolean {
    const mask = this.slots.length - 1;
    for (let slot = hash(low, high, ports) & mask; ; slot = (slot + 1) & mask) {
      const current = this.slots[slot]!;
      if (current === EMPTY || (this.slotPorts[slot] === ports && this.slotLow[slot] === low && this.slotHigh[slot] === high)) {
        this.slots[slot] = value;
        this.slotLow[slot] = low;
        this.slotHigh[slot] = high;
        this.slotPorts[slot] = ports;
        return current === EMPTY;
      }
    }
  }

  private rehash(size: number): void {
    const { slots, slotLow, slotHigh, slotPorts } = this;
    this.slots = new Int32Array(size);
    this.slotLow = new Int32Array(size);
    this.slotHigh = new Int32Array(size);
    this.slotPorts = new Int32Array(size);
    for (let slot = 0; slot < slots.length; slot++) {
      if (slots[slot] !== EMPTY) this.place(slotLow[slot]!, slotHigh[slot]!, slotPorts[slot]!, slots[slot]!);
    }
  }
}

/** A 32-bit mix of the key (murmur3's finaliser): neighbouring ports land far apart. */
function hash(low: number, high: number, ports: number): number {
  let value = Math.imul(ports ^ Math.imul(low, 0x9e3779b1) ^ Math.imul(high, 0x7feb352d), 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return value ^ (value >>> 16);
}
