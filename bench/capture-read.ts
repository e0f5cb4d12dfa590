/**
 * Capture reading, side by side on one file: (a) a bare walk over the record headers (no
 * records delivered, no decode: the floor), (b) the minimal loop of any analysis (minimal-loop.ts),
 * (c) our reader, (d) our reader + decode (reusing objects, as the analysis does), (e) pcap-parser
 * alone emitting its packets.
 * Each phase runs in its own Node process so its peak RSS (VmHWM) is its own.
 *
 *   node --import tsx bench/capture-read.ts FILE       (classic pcap for phase d)
 */
import { execFileSync } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readCaptureFile } from '../src/main/engine/capture/read-capture';
import { createDecoder } from '../src/main/engine/capture/decode';
import { minimalLoop } from './minimal-loop';

export type CaptureReadPhase = 'bare-walk' | 'minimal-loop' | 'reader' | 'reader-decode' | 'pcap-parser';
const phases: CaptureReadPhase[] = ['bare-walk', 'minimal-loop', 'reader', 'reader-decode', 'pcap-parser'];
const CHUNK_BYTES = 1024 * 1024;

export interface PhaseFigures {
  phase: CaptureReadPhase;
  /** wall time of the phase, ms */
  milliseconds: number;
  /** CPU time (user + system) of the phase, ms: steadier than wall time on a shared machine */
  cpuMilliseconds: number;
  records: number;
  /** TCP segments decoded (reader-decode only) */
  segments: number;
  /** peak resident set of the phase's process, MB (VmHWM) */
  peakRssMegabytes: number;
}

async function peakRssMegabytes(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

/** Walks classic pcap record headers only: what any reader must at least do. */
async function bareWalk(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    const view = new DataView(buffer.buffer);
    let filePosition = 0;
    let nextRecord = 24;
    let records = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, filePosition);
      if (bytesRead === 0) break;
      let position = nextRecord - filePosition;
      while (position + 16 <= bytesRead) {
        position += 16 + view.getUint32(position + 8, true);
        records += 1;
      }
      nextRecord = filePosition + position;
      // re-read from the next record's header when it straddles the chunk end
      filePosition = Math.min(nextRecord, filePosition + bytesRead);
    }
    return records;
  } finally {
    await handle.close();
  }
}

function pcapParserRecords(file: string): Promise<number> {
  const require = createRequire(import.meta.url);
  const pcapParser = require('pcap-parser') as { parse(input: string): NodeJS.EventEmitter };
  return new Promise((resolve, reject) => {
    let records = 0;
    const parser = pcapParser.parse(file);
    parser.on('packet', () => {
      records += 1;
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(records));
  });
}

/** Runs one phase in this process. */
export async function runPhase(phase: CaptureReadPhase, file: string): Promise<PhaseFigures> {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let records = 0;
  let segments = 0;
  if (phase === 'bare-walk') records = await bareWalk(file);
  else if (phase === 'minimal-loop') ({ records, segments } = await minimalLoop(file));
  else if (phase === 'pcap-parser') records = await pcapParserRecords(file);
  else if (phase === 'reader') {
    const summary = await readCaptureFile(file, {
      onRecord() {
        records += 1;
      },
    });
    records = summary.records;
  } else {
    const decoder = createDecoder({ reuse: true });
    await readCaptureFile(file, {
      onRecord(record) {
        records += 1;
        if (decoder.decode(record).ok) segments += 1;
      },
    });
  }
  const milliseconds = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMilliseconds = (cpu.user + cpu.system) / 1000;
  return { phase, milliseconds, cpuMilliseconds, records, segments, peakRssMegabytes: await peakRssMegabytes() };
}

/** Times the four phases on `file`, each in a fresh process. */
export async function benchCaptureRead(file: string): Promise<PhaseFigures[]> {
  const self = fileURLToPath(import.meta.url);
  const figures: PhaseFigures[] = [];
  for (const phase of phases) {
    const output = execFileSync(process.execPath, ['--import', 'tsx', self, '--phase', phase, file], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    });
    figures.push(JSON.parse(output.trim().split('\n').pop() ?? '{}') as PhaseFigures);
  }
  return figures;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--phase') {
    const figures = await runPhase(argv[1] as CaptureReadPhase, argv[2] ?? '');
    process.stdout.write(JSON.stringify(figures) + '\n');
    return;
  }
  const file = argv[0];
  if (!file) throw new Error('usage: bench/capture-read.ts FILE');
  for (const figures of await benchCaptureRead(file)) {
    console.log(
      `${figures.phase.padEnd(14)} ${figures.milliseconds.toFixed(0).padStart(7)} ms wall ${figures.cpuMilliseconds.toFixed(0).padStart(7)} ms CPU  ${String(figures.records).padStart(9)} records  ` +
        `${String(figures.segments).padStart(9)} segments  peak RSS ${figures.peakRssMegabytes.toFixed(0)} MB`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
