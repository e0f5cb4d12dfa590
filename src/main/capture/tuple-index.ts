/**
 * 4-tuple → current stream index, without an object or a string per packet: the address pair
 * becomes a small number once (a capture names few hosts), and (address pair, port pair) is
 * found in an open-addressing hash table of Int32 slots (linear probing, load ≤ 1/2).
 */

const INITIAL_SLOTS = 4096;
/** empty slot marker (slots hold stream index + 1) */
const EMPTY = 0;
const MAX_LOAD = 0.5;

export class TupleIndex {
  /** "lowAddress highAddress" → pair id */
  private readonly pairs = new Map<string, number>();
  private lastLow = '';
  private lastHigh = '';
  private lastPair = -1;
  /** stream index + 1, or EMPTY */
  private slots = new Int32Array(INITIAL_SLOTS);
  /** the key of the tuple in each slot: pair id and port pair (low port × 65536 + high port) */
  private slotPair = new Int32Array(INITIAL_SLOTS);
  private slotPorts = new Uint32Array(INITIAL_SLOTS);
  private used = 0;

  /** The id of an ordered address pair (low < high as strings, or equal). */
  pairId(low: string, high: string): number {
    if (low === this.lastLow && high === this.lastHigh && this.lastPair >= 0) return this.lastPair;
    const key = `${low} ${high}`;
    let id = this.pairs.get(key);
    if (id === undefined) {
      id = this.pairs.size;
      this.pairs.set(key, id);
    }
    this.lastLow = low;
    this.lastHigh = high;
    this.lastPair = id;
    return id;
  }

  /** The current stream of (pair, ports), or -1. */
  get(pair: number, ports: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash(pair, ports) & mask; ; slot = (slot + 1) & mask) {
      const value = this.slots[slot]!;
      if (value === EMPTY) return -1;
      if (this.slotPair[slot] === pair && this.slotPorts[slot] === ports) return value - 1;
    }
  }

  /** Makes `stream` the current stream of (pair, ports), replacing any earlier one. */
  set(pair: number, ports: number, stream: number): void {
    if ((this.used + 1) / this.slots.length > MAX_LOAD) this.rehash(this.slots.length * 2);
    if (this.place(pair, ports, stream + 1)) this.used += 1;
  }

  /** Returns true when the slot was empty. */
  private place(pair: number, ports: number, value: number): boolean {
    const mask = this.slots.length - 1;
    for (let slot = hash(pair, ports) & mask; ; slot = (slot + 1) & mask) {
      const current = this.slots[slot]!;
      if (current === EMPTY || (this.slotPair[slot] === pair && this.slotPorts[slot] === ports)) {
        this.slots[slot] = value;
        this.slotPair[slot] = pair;
        this.slotPorts[slot] = ports;
        return current === EMPTY;
      }
    }
  }

  private rehash(size: number): void {
    const { slots, slotPair, slotPorts } = this;
    this.slots = new Int32Array(size);
    this.slotPair = new Int32Array(size);
    this.slotPorts = new Uint32Array(size);
    for (let slot = 0; slot < slots.length; slot++) {
      if (slots[slot] !== EMPTY) this.place(slotPair[slot]!, slotPorts[slot]!, slots[slot]!);
    }
  }
}

/** A 32-bit mix of the key (murmur3's finaliser): neighbouring ports land far apart. */
function hash(pair: number, ports: number): number {
  let value = Math.imul(ports ^ Math.imul(pair, 0x9e3779b1), 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  return value ^ (value >>> 16);
}
