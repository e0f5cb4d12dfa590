/**
 * A loopback capture for cross-checking the lab: tcpdump writes a pcap of one
 * TCP port, tshark counts its TCP streams (connections, tshark numbering).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** ms to wait for tcpdump's "listening on" line */
const LISTEN_TIMEOUT_MS = 10_000;
/** ms to wait for tcpdump to flush and exit after SIGINT */
const STOP_TIMEOUT_MS = 5_000;
/** ms to wait for tcpdump to have written every packet the kernel handed it, before SIGINT */
const DRAIN_TIMEOUT_MS = 5_000;
/** What tcpdump prints on SIGUSR1 (one line; at exit it prints the same counts on three lines). */
const COUNTS_LINE = /(\d+) packets? captured, (\d+) packets? received by filter, (\d+) packets? dropped by kernel/g;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The counts of tcpdump's last SIGUSR1 line in `stderr`, and how many such lines there are. */
function lastCounts(stderr: string): { lines: number; captured: number; received: number; dropped: number } {
  const lines = [...stderr.matchAll(COUNTS_LINE)];
  const last = lines.at(-1);
  return { lines: lines.length, captured: Number(last?.[1] ?? 0), received: Number(last?.[2] ?? 0), dropped: Number(last?.[3] ?? 0) };
}

export interface CapturedStream {
  index: number;
  firstMs: number;
  reset: boolean;
}

/** Streams whose first frame lies in [fromMs, toMs]. */
export function streamsWithin(streams: CapturedStream[], fromMs: number, toMs: number): CapturedStream[] {
  return streams.filter((stream) => stream.firstMs >= fromMs && stream.firstMs <= toMs);
}

export interface LoopbackCapture {
  readonly file: string;
  /** Stops tcpdump (SIGINT) and waits for the file to be complete. */
  stop(): Promise<void>;
  /** Distinct tcp.stream values tshark finds in the file. */
  countStreams(): Promise<number>;
  /** Packets tcpdump said the kernel dropped (after stop); null when it did not say. */
  droppedByKernel(): number | null;
  /** `tshark -T fields` rows for the given fields. */
  fields(...names: string[]): Promise<string[][]>;
  /**
   * Per TCP stream: first-frame time (ms since 1970) and whether any frame had RST.
   * One tshark run (it takes seconds to start), so several lab runs can share one capture
   * and be told apart by time.
   */
  streams(): Promise<CapturedStream[]>;
  dispose(): Promise<void>;
}

export async function startLoopbackCapture(port: number | number[]): Promise<LoopbackCapture> {
  const filter = (Array.isArray(port) ? port : [port]).map((value) => `tcp port ${value}`).join(' or ');
  const dir = await mkdtemp(path.join(tmpdir(), 'keepalive-lab-cap-'));
  const file = path.join(dir, 'run.pcap');
  // a 16 MiB kernel buffer (-B, KiB): the machine runs other tests at the same time, and a drop would read as a missing connection
  const child = spawn('tcpdump', ['-i', 'lo', '-U', '--immediate-mode', '-B', '16384', '-w', file, filter], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start within ${LISTEN_TIMEOUT_MS} ms: ${stderr}`)), LISTEN_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited with ${code}: ${stderr}`));
    });
  });
  /**
   * Resolves once tcpdump has written every packet the kernel handed it, asking with SIGUSR1 (it
   * prints its counts). On lo the kernel hands each packet twice, as sent and as received, and libpcap
   * keeps one: all are written once "received by filter" less the drops is twice "captured". (SIGINT
   * after a fixed pause alone lost the last segments when tcpdump was slow to run on a busy machine.)
   */
  const drain = async () => {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (child.exitCode === null && Date.now() < deadline) {
      const asked = lastCounts(stderr).lines;
      child.kill('SIGUSR1');
      while (lastCounts(stderr).lines === asked && child.exitCode === null && Date.now() < deadline) await pause(10);
      const counts = lastCounts(stderr);
      if (counts.lines > asked && counts.received - counts.dropped <= 2 * counts.captured) return;
      await pause(20);
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode !== null) return;
    // 'close', not 'exit': tcpdump's last stderr lines (its drop count) are read by then
    const exited = new Promise((resolve) => child.once('close', resolve));
    // let the last segments (a closing FIN or RST) leave this process, then tcpdump write them all
    await pause(150);
    await drain();
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const fields = async (...names: string[]) => {
    const { stdout } = await run('tshark', ['-r', file, '-T', 'fields', ...names.flatMap((name) => ['-e', name])]);
    return stdout
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => line.split('\t'));
  };
  return {
    file,
    stop,
    fields,
    async streams() {
      const byIndex = new Map<number, CapturedStream>();
      for (const [stream, epoch, reset] of await fields('tcp.stream', 'frame.time_epoch', 'tcp.flags.reset')) {
        const index = Number(stream);
        const known = byIndex.get(index) ?? { index, firstMs: Number(epoch) * 1000, reset: false };
        known.reset ||= reset === '1' || reset === 'True';
        byIndex.set(index, known);
      }
      return [...byIndex.values()];
    },
    droppedByKernel() {
      // the last count: the one tcpdump printed at exit
      const match = [...stderr.matchAll(/(\d+) packets? dropped by kernel/g)].at(-1);
      return match ? Number(match[1]) : null;
    },
    async countStreams() {
      const rows = await fields('tcp.stream');
      return new Set(rows.map((row) => row[0])).size;
    },
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
