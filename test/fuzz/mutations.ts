/**
 * Mutations of seed captures, as fast-check arbitraries. Each case is a seed index, one or more
 * mutations aimed at the places parsers trust (record/block boundaries, length fields, block
 * types, snaplen), and the chunk sizes the bytes are pushed in. A case is plain data, so it can
 * be printed, saved and replayed (`applyCase`).
 */
import fc from 'fast-check';
import type { Http1Segment } from './targets';
import type { Seed } from './seeds';

/** 32-bit values that break length arithmetic: zero, tiny, unaligned, our limits ±1, sign bit, all ones. */
const INTERESTING_U32 = [
  0,
  1,
  3,
  4,
  11,
  12,
  13,
  16,
  24,
  28,
  31,
  32,
  0x7f,
  0xff,
  0xffff,
  0x10000,
  262143,
  262144,
  262145,
  16 * 1024 * 1024 + 4,
  0x7fffffff,
  0x80000000,
  0xfffffffc,
  0xffffffff,
];
/** Block types: the known ones out of place, and unknown ones. */
const BLOCK_TYPES = [
  0x0a0d0d0a, 0x00000001, 0x00000002, 0x00000003, 0x00000004, 0x00000005, 0x00000006, 0x00000bad, 0x80000001, 0xffffffff, 0,
];

export type Mutation =
  | { kind: 'truncate'; boundary: number; delta: number }
  | { kind: 'set-length'; boundary: number; field: number; value: number; relative: boolean }
  | { kind: 'zero-record'; boundary: number }
  | { kind: 'block-type'; boundary: number; value: number }
  | { kind: 'snaplen'; value: number }
  | { kind: 'flip-bytes'; positions: number[]; values: number[] }
  | { kind: 'splice'; from: number; length: number; insert: number[] }
  | { kind: 'duplicate-block'; boundary: number };

export interface FuzzCase {
  seed: number;
  mutations: Mutation[];
  /** chunk sizes, cycled; 0 means the rest in one chunk */
  chunks: number[];
}

const index = fc.nat({ max: 1_000_000 });
const u32 = fc.oneof(fc.constantFrom(...INTERESTING_U32), fc.integer({ min: 0, max: 0xffffffff }));

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), boundary: index, delta: fc.integer({ min: -20, max: 20 }) }),
  fc.record({ kind: fc.constant('set-length' as const), boundary: index, field: fc.nat({ max: 3 }), value: u32, relative: fc.boolean() }),
  fc.record({ kind: fc.constant('zero-record' as const), boundary: index }),
  fc.record({ kind: fc.constant('block-type' as const), boundary: index, value: fc.oneof(fc.constantFrom(...BLOCK_TYPES), u32) }),
  fc.record({ kind: fc.constant('snaplen' as const), value: u32 }),
  fc.record({
    kind: fc.constant('flip-bytes' as const),
    positions: fc.array(index, { minLength: 1, maxLength: 8 }),
    values: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    from: index,
    length: fc.nat({ max: 64 }),
    insert: fc.array(fc.nat({ max: 255 }), { maxLength: 64 }),
  }),
  fc.record({ kind: fc.constant('duplicate-block' as const), boundary: index }),
);

export function fuzzCaseArbitrary(seedCount: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    seed: fc.nat({ max: seedCount - 1 }),
    mutations: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }),
    chunks: fc.oneof(fc.constant<number[]>([0]), fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 6 })),
  });
}

function writeU32(bytes: Uint8Array, offset: number, value: number, littleEndian: boolean): void {
  if (offset < 0 || offset + 4 > bytes.length) return;
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(offset, value >>> 0, littleEndian);
}

function readU32(bytes: Uint8Array, offset: number, littleEndian: boolean): number {
  if (offset < 0 || offset + 4 > bytes.length) return 0;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, littleEndian);
}

/** Applies one mutation; boundary offsets refer to the seed, so later mutations may land oddly (that is fine). */
function mutate(bytes: Uint8Array<ArrayBuffer>, seed: Seed, mutation: Mutation): Uint8Array<ArrayBuffer> {
  const boundaries = seed.boundaries;
  const boundary =
    boundaries[
      mutation.kind === 'snaplen' || mutation.kind === 'flip-bytes' || mutation.kind === 'splice'
        ? 0
        : mutation.boundary % boundaries.length
    ];
  switch (mutation.kind) {
    case 'truncate':
      return bytes.slice(0, Math.max(0, Math.min(bytes.length, (boundary?.offset ?? 0) + mutation.delta)));
    case 'set-length': {
      const fields = boundary?.lengthFields ?? [];
      const field = fields[mutation.field % Math.max(1, fields.length)];
      if (field === undefined) return bytes;
      const value = mutation.relative ? readU32(bytes, field, seed.littleEndian) + (mutation.value % 64) - 32 : mutation.value;
      writeU32(bytes, field, value, seed.littleEndian);
      return bytes;
    }
    case 'zero-record':
      // pcapng block lengths become the 12-byte minimum (an empty block), record lengths 0
      for (const field of boundary?.lengthFields ?? [])
        writeU32(bytes, field, seed.format === 'pcapng' && field === (boundary?.offset ?? 0) + 4 ? 12 : 0, seed.littleEndian);
      return bytes;
    case 'block-type':
      writeU32(bytes, boundary?.typeField ?? boundary?.offset ?? 0, mutation.value, seed.littleEndian);
      return bytes;
    case 'snaplen':
      if (seed.snaplenField !== null) writeU32(bytes, seed.snaplenField, mutation.value, seed.littleEndian);
      return bytes;
    case 'flip-bytes':
      if (bytes.length === 0) return bytes;
      mutation.positions.forEach((position, at) => {
        bytes[position % bytes.length] = mutation.values[at % mutation.values.length] ?? 0;
      });
      return bytes;
    case 'splice': {
      const from = bytes.length === 0 ? 0 : mutation.from % bytes.length;
      const out = new Uint8Array(bytes.length - Math.min(mutation.length, bytes.length - from) + mutation.insert.length);
      out.set(bytes.subarray(0, from), 0);
      out.set(mutation.insert, from);
      out.set(bytes.subarray(Math.min(bytes.length, from + mutation.length)), from + mutation.insert.length);
      return out;
    }
    case 'duplicate-block': {
      const next = boundaries[(mutation.boundary % boundaries.length) + 1];
      if (!boundary || !next || next.offset > bytes.length) return bytes;
      const block = bytes.slice(boundary.offset, next.offset);
      const out = new Uint8Array(bytes.length + block.length);
      out.set(bytes.subarray(0, next.offset), 0);
      out.set(block, next.offset);
      out.set(bytes.subarray(next.offset), next.offset + block.length);
      return out;
    }
    default: {
      const unreachable: never = mutation;
      return unreachable;
    }
  }
}

/** The bytes of a case (a fresh copy; the seed is never changed). */
export function applyCase(seeds: readonly Seed[], fuzzCase: FuzzCase): Uint8Array<ArrayBuffer> {
  const seed = seeds[fuzzCase.seed % seeds.length];
  if (!seed) throw new Error('no seeds');
  let bytes = seed.bytes.slice();
  for (const mutation of fuzzCase.mutations) bytes = mutate(bytes, seed, mutation);
  return bytes;
}

/** Random bytes, sometimes behind a valid magic so the parsers get past the first check. */
export const randomCaptureArbitrary: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.constantFrom<number[]>(
      [],
      [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0],
      [0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4],
      [0x0a, 0x0d, 0x0d, 0x0a],
      [0x34, 0xcd, 0xb2, 0xa1, 2, 0, 4, 0],
    ),
    fc.uint8Array({ maxLength: 2048 }),
  )
  .map(([prefix, rest]) => {
    const out = new Uint8Array(prefix.length + rest.length);
    out.set(prefix, 0);
    out.set(rest, prefix.length);
    return out;
  });

const encoder = new TextEncoder();
/** HTTP/1 fragments, well-formed and not: the finder must never loop, throw or count beyond its input. */
const httpPiece = fc.oneof(
  fc.constantFrom(
    'GET / HTTP/1.1\r\n',
    'HEAD /x HTTP/1.1\r\n',
    'POST /p HTTP/1.0\r\n',
    'HTTP/1.1 200 OK\r\n',
    'HTTP/1.1 100 Continue\r\n\r\n',
    'HTTP/1.1 204 No Content\r\n',
    'HTTP/1.1 304 Not Modified\r\n',
    'HTTP/1.0 200 OK\r\n',
  ),
  fc.constantFrom(
    'Transfer-Encoding: chunked\r\n',
    'Host: x\r\n',
    'Connection: close\r\n',
    '\r\n',
    '\r\n\r\n',
    '0\r\n\r\n',
    'Transfer-Encoding: gzip, chunked\r\n',
  ),
  fc.integer({ min: -1000, max: 1_000_000 }).map((length) => `Content-Length: ${length}\r\n`),
  fc.oneof(fc.integer({ min: -100, max: 0x10000 }), fc.constantFrom(-5, -2, -1)).map((size) => `${size.toString(16)}\r\n`),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => String.fromCharCode(...bytes)),
);

const fragmentedCaseArbitrary: fc.Arbitrary<Http1Segment[]> = fc
  .record({
    pieces: fc.array(fc.tuple(fc.constantFrom<'a' | 'b'>('a', 'b'), fc.array(httpPiece, { minLength: 1, maxLength: 8 })), {
      minLength: 1,
      maxLength: 12,
    }),
    starts: fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })),
    // how the next sequence number moves: contiguous, a gap, or back (a retransmission / overlap)
    jumps: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -64, max: 64 })), { maxLength: 12 }),
  })
  .map(({ pieces, starts, jumps }) => {
    const next = { a: starts[0], b: starts[1] };
    return pieces.map(([direction, texts], at) => {
      const payload = Uint8Array.from(texts.join(''), (character) => character.charCodeAt(0) & 0xff);
      const seq = (next[direction] + (jumps[at] ?? 0)) >>> 0;
      next[direction] = (seq + payload.length) >>> 0;
      return { direction, seq, payload: payload.length > 0 ? payload : encoder.encode(' ') };
    });
  });

/**
 * One big segment of pipelined messages (loopback segments reach 64 KiB, records 256 KiB): the
 * finder must stay linear in the segment size, whatever the number of messages in it.
 */
const pipelinedCaseArbitrary: fc.Arbitrary<Http1Segment[]> = fc
  .record({
    message: fc.constantFrom(
      'GET / HTTP/1.1\r\n\r\n',
      'HTTP/1.1 204 No Content\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx',
      'POST /p HTTP/1.1\r\nContent-Length: 0\r\n\r\n',
    ),
    bytes: fc.integer({ min: 1024, max: 256 * 1024 }),
    seq: fc.nat({ max: 0xffffffff }),
  })
  .map(({ message, bytes, seq }) => {
    const text = message.repeat(Math.max(1, Math.floor(bytes / message.length)));
    return [{ direction: message.startsWith('HTTP') ? ('b' as const) : ('a' as const), seq, payload: encoder.encode(text) }];
  });

export const http1CaseArbitrary: fc.Arbitrary<Http1Segment[]> = fc.oneof(
  { arbitrary: fragmentedCaseArbitrary, weight: 19 },
  { arbitrary: pipelinedCaseArbitrary, weight: 1 },
);
