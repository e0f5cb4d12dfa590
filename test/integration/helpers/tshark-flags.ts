/** Wireshark's analysis flags per frame, from tshark and from our analyzer, in one comparable shape. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CaptureAnalysis } from '@engine/capture/analyze';
import { ANALYSIS_FLAG_NAMES, analysisFlagNames } from '@engine/capture/tcp-flags';

const run = promisify(execFile);

/** tshark's analysis flags per frame, from one PDML pass (one tshark start instead of one per flag). */
export async function tsharkFlags(file: string): Promise<Map<number, string[]>> {
  // only flagged frames: a frame we flag and tshark does not still shows up as a difference
  const { stdout } = await run('tshark', ['-n', '-r', file, '-Y', 'tcp.analysis.flags', '-T', 'pdml'], { maxBuffer: 512 * 1024 * 1024 });
  const flags = new Map<number, string[]>();
  for (const packet of stdout.split('<packet>').slice(1)) {
    const frame = Number(/name="frame.number"[^>]*show="(\d+)"/.exec(packet)?.[1]);
    const names = [...packet.matchAll(/name="tcp\.analysis\.([a-z_]+)"/g)]
      .map((m) => m[1]!)
      .filter((name) => (ANALYSIS_FLAG_NAMES as readonly string[]).includes(name));
    if (names.length) flags.set(frame, [...new Set(names)].sort());
  }
  return flags;
}

/** Our analysis flags per flagged frame, sorted like tsharkFlags. */
export function ourFlags(analysis: CaptureAnalysis): Map<number, string[]> {
  const flags = new Map<number, string[]>();
  for (let index = 0; index < analysis.table.length; index++) {
    const names = analysisFlagNames(analysis.table.analysis[index] ?? 0);
    if (names.length) flags.set(index + 1, [...names].sort());
  }
  return flags;
}

/** Distinct tcp.stream values tshark finds in a file. */
export async function tsharkStreamCount(file: string): Promise<number> {
  const { stdout } = await run('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'tcp.stream']);
  return new Set(stdout.split('\n').filter((line) => line.length > 0)).size;
}
