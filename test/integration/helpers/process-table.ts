/** The process table (`ps -eo pid,ppid,args`), to prove that no tcpdump outlives a test. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** ms to wait for killed processes to leave the process table */
const GONE_WITHIN_MS = 3000;

export interface ProcessRow {
  pid: number;
  ppid: number;
  args: string;
}

export async function processTable(): Promise<ProcessRow[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=,args=']);
  return stdout
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? '' }));
}

/** Live-capture processes that are ours: a watchdog we spawned, or tcpdump with our filter on one of our ports. */
export async function ourCaptures(ports: number[]): Promise<ProcessRow[]> {
  const rows = await processTable();
  return rows.filter(
    (row) =>
      (row.ppid === process.pid && row.args.includes('keepalive-lab-capture')) ||
      (row.args.includes('--immediate-mode -U -n -w -') && ports.some((port) => row.args.endsWith(`tcp port ${port}`))),
  );
}

/** Our capture processes on `ports` once a tcpdump is among them, checked every 50 ms; what there is after `withinMs` otherwise. */
export async function waitForOurTcpdump(ports: number[], withinMs: number): Promise<ProcessRow[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const rows = await ourCaptures(ports);
    if (rows.some((row) => row.args.startsWith('tcpdump ')) || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The pids still alive after up to GONE_WITHIN_MS. */
export async function waitUntilGone(pids: number[]): Promise<number[]> {
  const deadline = Date.now() + GONE_WITHIN_MS;
  for (let attempt = 0; attempt < 100; attempt++) {
    const alive = (await processTable()).filter((row) => pids.includes(row.pid)).map((row) => row.pid);
    if (alive.length === 0 || Date.now() > deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids;
}
