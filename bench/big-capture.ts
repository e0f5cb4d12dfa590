/**
 * The 20 M-packet report (issue 15, bench only: minutes of capture and tshark, gigabytes of disk
 * and memory, so never part of CI): makes a capture of real loopback traffic with tcpdump (or the
 * synthetic writer where tcpdump cannot run, or with --synthetic) under the temp dir, runs our
 * analysis and tshark on it, each in a process of its own, and prints wall time, CPU time, peak RSS
 * and the bytes per packet the analysis keeps. The file is deleted afterwards.
 *
 *   npm run bench -- --only big-capture [--synthetic]
 *
 * tshark keeps state for every frame (about 700 bytes a packet on the 3.04 M-packet capture): it
 * runs under an address-space limit so that it cannot take the memory of a shared machine; when it
 * fails on that limit, its failure is the figure reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeInChild } from './capture-analyze';
import { makeBenchCapture } from './make-loopback-capture';

/** The figure, packets. */
export const BIG_CAPTURE_PACKETS = 20_000_000;
/** Bytes a loopback packet takes in the file (435 MB for 3.04 M packets), with room to spare. */
const FILE_BYTES_PER_PACKET = 160;
/** Free space kept beside the file, bytes: the bench must not fill the disk others work on. */
const DISK_RESERVE_BYTES = 10 * 1024 ** 3;
/** tcpdump's bound, ms: 3.04 M packets took 23–61 s here */
const CAPTURE_TIMEOUT_MS = 15 * 60 * 1000;
const TSHARK_TIMEOUT_MS = 30 * 60 * 1000;
/** Most address space tshark may take, bytes, and at most this share of the memory free when it starts. */
const TSHARK_MAX_ADDRESS_SPACE_BYTES = 8 * 1024 ** 3;
const TSHARK_FREE_MEMORY_SHARE = 0.5;

export interface ToolFigures {
  milliseconds: number;
  cpuMilliseconds: number;
  peakRssMegabytes: number;
  /** why the run failed (exit status, the tool's last error line), null when it finished */
  failure: string | null;
}

export interface BigCaptureFigures {
  description: string;
  /** packets asked for, and why fewer when the disk could not hold them */
  wantedPackets: number;
  scaledDown: string | null;
  packets: number;
  bytes: number;
  streams: number;
  ours: ToolFigures;
  /** bytes the analysis keeps per packet in its columns (packet table, evidence, stream summaries) */
  keptBytesPerPacket: number;
  tshark: ToolFigures | null;
  tsharkLimitBytes: number;
}

/** Packets the temp dir can hold with DISK_RESERVE_BYTES to spare, at most `wanted`. */
function packetsTheDiskHolds(directory: string, wanted: number): number {
  const disk = statfsSync(directory);
  const free = disk.bavail * disk.bsize;
  return Math.max(0, Math.min(wanted, Math.floor((free - DISK_RESERVE_BYTES) / FILE_BYTES_PER_PACKET)));
}

function runTshark(file: string, limitBytes: number): ToolFigures | null {
  if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0) return null;
  const started = performance.now();
  // prlimit caps tshark's address space; GNU time prints its CPU seconds and peak RSS (KB) last
  const run = spawnSync(
    'prlimit',
    [`--as=${limitBytes}`, '/usr/bin/time', '-f', '%U %S %M', 'tshark', '-n', '-r', file, '-Y', 'tcp.analysis.keep_alive'],
    { encoding: 'utf8', maxBuffer: 1 << 30, timeout: TSHARK_TIMEOUT_MS },
  );
  const milliseconds = performance.now() - started;
  const stderr = run.stderr ?? '';
  const figures = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr.trim());
  const lines = stderr
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^[\d.]+ [\d.]+ \d+$/.test(line.trim()) && !line.startsWith('Command '));
  let failure: string | null = null;
  if (run.error) failure = run.error.message;
  else if (run.status !== 0) failure = `exit status ${run.status ?? run.signal}: ${lines.at(-1) ?? 'no message'}`;
  return {
    milliseconds,
    cpuMilliseconds: figures ? (Number(figures[1]) + Number(figures[2])) * 1000 : NaN,
    peakRssMegabytes: figures ? Number(figures[3]) / 1024 : NaN,
    failure,
  };
}

/** Makes the capture, analyses it, runs tshark on it, deletes it. */
export async function benchBigCapture(options: { synthetic: boolean; packets?: number }): Promise<BigCaptureFigures> {
  const wantedPackets = options.packets ?? BIG_CAPTURE_PACKETS;
  const directory = mkdtempSync(path.join(tmpdir(), 'kl-big-capture-'));
  try {
    const packets = packetsTheDiskHolds(directory, wantedPackets);
    const scaledDown =
      packets < wantedPackets
        ? `the disk under ${tmpdir()} holds ${packets.toLocaleString('en-US')} packets with 10 GiB to spare, not ${wantedPackets.toLocaleString('en-US')}`
        : null;
    if (packets === 0) throw new Error(`no room for a capture under ${tmpdir()}: ${scaledDown}`);
    const file = path.join(directory, 'big.pcap');
    const capture = await makeBenchCapture(file, packets, { synthetic: options.synthetic, timeoutMs: CAPTURE_TIMEOUT_MS });
    const child = analyzeInChild(file);
    const ours: ToolFigures = {
      milliseconds: child.milliseconds,
      cpuMilliseconds: child.cpuMilliseconds,
      peakRssMegabytes: child.peak,
      failure: null,
    };
    const tsharkLimitBytes = Math.min(TSHARK_MAX_ADDRESS_SPACE_BYTES, Math.floor(freemem() * TSHARK_FREE_MEMORY_SHARE));
    return {
      description: capture.description,
      wantedPackets,
      scaledDown,
      packets: child.packets,
      bytes: statSync(file).size,
      streams: child.streams,
      ours,
      keptBytesPerPacket: child.packets === 0 ? 0 : child.keptBytes / child.packets,
      tshark: runTshark(file, tsharkLimitBytes),
      tsharkLimitBytes,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const number = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–';

/** The section's text: what ran, a table, and tshark's failure when it had one. */
export function formatBigCapture(figures: BigCaptureFigures): string {
  const rows: string[][] = [
    [
      'this analyzer (read, decode, every Wireshark flag, HTTP/1, summaries)',
      number(figures.ours.milliseconds),
      number(figures.ours.cpuMilliseconds),
      number(figures.ours.peakRssMegabytes),
      number((figures.ours.peakRssMegabytes * 1024 * 1024) / figures.packets, 1),
    ],
  ];
  const tshark = figures.tshark;
  if (tshark) {
    rows.push([
      `tshark -r F -Y tcp.analysis.keep_alive (address space ≤ ${number(figures.tsharkLimitBytes / 1024 ** 3, 1)} GiB)${tshark.failure ? ': FAILED' : ''}`,
      number(tshark.milliseconds),
      number(tshark.cpuMilliseconds),
      number(tshark.peakRssMegabytes),
      number((tshark.peakRssMegabytes * 1024 * 1024) / figures.packets, 1),
    ]);
  }
  const lines = [headerRow(['what', 'ms wall', 'ms CPU', 'peak RSS MB', 'peak RSS bytes per packet']), ...rows.map(headerRow)];
  lines.splice(1, 0, headerRow(['---', '---', '---', '---', '---']));
  return [
    figures.description,
    figures.scaledDown ? `scaled down: ${figures.scaledDown}` : null,
    `${number(figures.packets)} packets, ${number(figures.bytes / 1e6)} MB, ${number(figures.streams)} streams`,
    '',
    lines.join('\n'),
    '',
    `the analysis keeps ${number(figures.keptBytesPerPacket, 1)} bytes per packet in its columns (packet table, evidence, stream summaries)`,
    tshark === null ? 'tshark: not installed' : tshark.failure ? `tshark failed: ${tshark.failure}` : null,
  ]
    .filter((line) => line !== null)
    .join('\n');
}

function headerRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
