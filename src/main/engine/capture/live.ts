/**
 * Live capture of the lab's own traffic: tcpdump on loopback writing pcap to stdout
 * (`tcpdump -i lo --immediate-mode -U -w - 'tcp port A or tcp port B'`), fed chunk by chunk
 * to the same streaming reader the microscope uses (read-capture.ts).
 *
 * No orphan: tcpdump runs under a tiny `sh` watchdog (WATCHDOG_SCRIPT). The watchdog reads its
 * stdin, a pipe whose only writer is this process; when this process dies for any reason
 * (even SIGKILL) the pipe closes, `read` sees end-of-file and the watchdog stops tcpdump.
 * On a normal stop, an AbortSignal or process 'exit' we kill both by pid ourselves.
 *
 * Without immediate mode and -U a capture stopped within a second loses its last packets
 * (such as a final RST), so both are always on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { createPrivateWriteStream } from '../private-files';
import { plural } from '../report/session-figures';
import { createCaptureReader, type CaptureReadSummary } from './read-capture';
import type { CaptureRecord } from './types';

/** ms to wait for tcpdump's "listening on" line before giving up */
const START_TIMEOUT_MS = 10_000;
/** ms to let the last packets (a FIN, an RST) reach the pipe before stopping: immediate mode delivers within a few ms */
const SETTLE_MS = 150;
/**
 * ms to wait, after the settle time, for tcpdump to catch up with the kernel before it is stopped:
 * a stop signal makes tcpdump leave its loop with whatever is still queued in its ring unread, so
 * on a loaded machine a stop that only waits SETTLE_MS loses packets the lab really sent.
 */
const DRAIN_TIMEOUT_MS = 3_000;
/** ms between two statistics requests (SIGUSR1) while draining */
const DRAIN_POLL_MS = 40;
/** ms to wait for tcpdump to flush and exit after the stop signal, before SIGKILL */
const STOP_TIMEOUT_MS = 3_000;
/**
 * tcpdump's ring buffer, KiB (`-B`). In immediate mode each packet takes a whole frame sized for
 * the interface's MTU (about 64 KiB on loopback), and on loopback the outgoing copy of every
 * packet takes one too before libpcap discards it, so the default 2 MiB holds about 15 packets:
 * measured, tcpdump starved by four busy loops on two cores lost a connection's request and
 * response from the middle of a 5-request run. 32 MiB holds about 250.
 */
const RING_KIB = 32 * 1024;
/** stderr kept for messages, bytes */
const MAX_STDERR_BYTES = 16 * 1024;

/**
 * The watchdog, run as `sh -c WATCHDOG_SCRIPT keepalive-lab-capture <tcpdump args…>`.
 * fd 3 keeps the pipe to Node (an asynchronous list's stdin is /dev/null otherwise);
 * the reader loop uses only builtins, so killing the watcher leaves no process behind.
 */
const WATCHDOG_SCRIPT = [
  'command -v "$KEEPALIVE_LAB_TCPDUMP" >/dev/null 2>&1 || { echo "keepalive-lab: tcpdump-missing" >&2; exit 127; }',
  'exec 3<&0',
  'capture=""',
  'set -- "$KEEPALIVE_LAB_TCPDUMP" "$@"',
  '[ -n "$KEEPALIVE_LAB_NETNS" ] && set -- ip netns exec "$KEEPALIVE_LAB_NETNS" "$@"',
  'trap \'[ -n "$capture" ] && kill -INT "$capture" 2>/dev/null\' INT TERM HUP',
  '"$@" </dev/null 3<&- &',
  'capture=$!',
  'echo "keepalive-lab: tcpdump-pid $capture" >&2',
  '( while read -r _ <&3; do :; done; kill -INT "$capture" 2>/dev/null ) >/dev/null 2>&1 &',
  'watcher=$!',
  'exec 3<&-',
  'while kill -0 "$capture" 2>/dev/null; do wait "$capture"; done',
  'kill "$watcher" 2>/dev/null',
  'exit 0',
].join('\n');

export const HOW_TO_ENABLE_CAPTURE =
  'install tcpdump (Debian/Ubuntu: apt-get install tcpdump; macOS has it) and let it capture without root: ' +
  'on Linux run `sudo setcap cap_net_raw,cap_net_admin=eip "$(command -v tcpdump)"`, or run the lab as root';

export interface LiveCaptureOptions {
  /** the experiment's own TCP ports (server or client side), 1..65535 */
  ports: number[];
  /** every captured frame, in order, as it arrives; `record.data` is valid only during the call */
  onRecord?: (record: CaptureRecord) => void;
  /** also write the raw pcap here */
  saveTo?: string;
  /** aborting stops the capture */
  signal?: AbortSignal;
  /** capture interface, default "lo" */
  interfaceName?: string;
  /** the tcpdump program, default "tcpdump" from PATH (tests name a missing one) */
  tcpdumpCommand?: string;
  /** run tcpdump inside this network namespace (`ip netns exec`; `ip` execs, so the pid stays tcpdump's) */
  netns?: string;
}

export interface LiveCaptureUnavailable {
  code: 'missing' | 'not-permitted' | 'failed';
  message: string;
  howToEnable: string;
}

export interface LiveCaptureStopped {
  /** the saved pcap, when asked for */
  file: string | null;
  /** bytes of pcap received from tcpdump */
  bytes: number;
  /** what the reader made of them; null when tcpdump wrote nothing readable */
  read: CaptureReadSummary | null;
  /** reader problems and tcpdump's own complaints */
  warnings: string[];
}

export interface LiveCapture {
  /** the watchdog shell (the child we spawned) */
  readonly watchdogPid: number;
  /** tcpdump itself */
  readonly tcpdumpPid: number;
  readonly filter: string;
  /** frames read so far */
  readonly records: number;
  /** Stops tcpdump after a short settle time, waits for its last bytes; idempotent. */
  stop(): Promise<LiveCaptureStopped>;
}

export type LiveCaptureStart = { ok: true; capture: LiveCapture } | { ok: false; unavailable: LiveCaptureUnavailable };

/** pids of running captures, killed synchronously if the process exits without stopping them */
const running = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of running) killQuietly(pid, 'SIGKILL');
  });
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** tcpdump's answers to SIGUSR1 ("N packets captured, …"), counted as they arrive on stderr */
interface CaptureStats {
  /** answers seen so far */
  readonly answers: number;
  /** packets tcpdump had handed to its writer at its last answer */
  readonly captured: number;
  /** packets the kernel dropped because tcpdump's ring was full, at its last answer or exit */
  readonly dropped: number;
}

function watchCaptureStats(child: ChildProcess): CaptureStats {
  const state = { answers: 0, captured: 0, dropped: 0 };
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const dropped = /(\d+) packets? dropped by kernel/.exec(line);
      if (dropped) state.dropped = Number(dropped[1]);
      const match = /(\d+) packets? captured, \d+ packets? received by filter/.exec(line);
      if (!match) continue;
      state.answers += 1;
      state.captured = Number(match[1]);
    }
  });
  return state;
}

/**
 * Waits until tcpdump has written every packet the kernel queued for it: asks for its count
 * (SIGUSR1, answered between two packets) until two answers in a row give the same count and
 * this process has read that many records from the pipe. The count the kernel gives
 * ("received by filter") cannot be compared directly: on loopback it counts each packet's
 * outgoing copy too, which libpcap discards. False when the wait timed out.
 */
async function drain(tcpdumpPid: number, stats: CaptureStats, recordsRead: () => number): Promise<boolean> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let previous = -1;
  while (Date.now() < deadline) {
    const asked = stats.answers;
    killQuietly(tcpdumpPid, 'SIGUSR1');
    while (stats.answers === asked && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS / 4));
    }
    if (stats.answers === asked) return false;
    if (stats.captured === previous && recordsRead() >= stats.captured) return true;
    previous = stats.captured;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  return false;
}

export function captureFilter(ports: number[]): string {
  const unique = [...new Set(ports)];
  if (unique.length === 0) throw new RangeError('live capture needs at least one port');
  for (const port of unique) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`not a TCP port: ${port}`);
  }
  return unique.map((port) => `tcp port ${port}`).join(' or ');
}

function classifyFailure(stderr: string, exitCode: number | null): LiveCaptureUnavailable {
  const text = stderr.replace(/keepalive-lab: tcpdump-pid \d+\n?/g, '').trim();
  if (text.includes('tcpdump-missing') || exitCode === 127) {
    return {
      code: 'missing',
      message: 'tcpdump is not installed (not found on PATH): the experiment runs without a capture',
      howToEnable: HOW_TO_ENABLE_CAPTURE,
    };
  }
  if (/permission|not permitted|Operation not permitted|EPERM/i.test(text)) {
    return { code: 'not-permitted', message: `tcpdump may not capture here: ${firstLine(text)}`, howToEnable: HOW_TO_ENABLE_CAPTURE };
  }
  return {
    code: 'failed',
    message: `tcpdump did not start (exit ${exitCode ?? 'none'}): ${firstLine(text) || 'no message'}`,
    howToEnable: HOW_TO_ENABLE_CAPTURE,
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim().length > 0)
      ?.trim() ?? ''
  );
}

/**
 * Starts tcpdump and resolves once it is listening (or with why it cannot).
 * A capture that is not stopped explicitly stops on `signal` or when the process exits.
 */
export async function startLiveCapture(options: LiveCaptureOptions): Promise<LiveCaptureStart> {
  const filter = captureFilter(options.ports);
  options.signal?.throwIfAborted();
  const args = ['-i', options.interfaceName ?? 'lo', '-B', String(RING_KIB), '--immediate-mode', '-U', '-n', '-w', '-', filter];
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'keepalive-lab-capture', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: false,
    env: {
      ...process.env,
      PATH: `${process.env['PATH'] ?? '/usr/bin:/bin'}:/usr/sbin:/sbin:/usr/local/sbin`,
      KEEPALIVE_LAB_TCPDUMP: options.tcpdumpCommand ?? 'tcpdump',
      KEEPALIVE_LAB_NETNS: options.netns ?? '',
    },
  });
  installExitHook();
  if (child.pid === undefined) {
    return {
      ok: false,
      unavailable: { code: 'failed', message: 'could not start /bin/sh for tcpdump', howToEnable: HOW_TO_ENABLE_CAPTURE },
    };
  }
  const watchdogPid = child.pid;
  running.add(watchdogPid);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_STDERR_BYTES) stderr += chunk.toString();
  });
  const started = await waitForListening(child, () => stderr);
  if (!started.ok) {
    running.delete(watchdogPid);
    killQuietly(watchdogPid, 'SIGKILL');
    return { ok: false, unavailable: started.unavailable };
  }
  running.add(started.tcpdumpPid);
  return { ok: true, capture: attach(child, watchdogPid, started.tcpdumpPid, filter, options, () => stderr) };
}

function waitForListening(
  child: ChildProcess,
  stderr: () => string,
): Promise<{ ok: true; tcpdumpPid: number } | { ok: false; unavailable: LiveCaptureUnavailable }> {
  return new Promise((resolve) => {
    const finish = (result: { ok: true; tcpdumpPid: number } | { ok: false; unavailable: LiveCaptureUnavailable }) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      resolve(result);
    };
    const onData = () => {
      const text = stderr();
      const pid = /tcpdump-pid (\d+)/.exec(text);
      if (pid && text.includes('listening on')) finish({ ok: true, tcpdumpPid: Number(pid[1]) });
    };
    const onExit = (code: number | null) => finish({ ok: false, unavailable: classifyFailure(stderr(), code) });
    const onError = (error: Error) =>
      finish({ ok: false, unavailable: { code: 'failed', message: error.message, howToEnable: HOW_TO_ENABLE_CAPTURE } });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          unavailable: {
            code: 'failed',
            message: `tcpdump did not start listening within ${START_TIMEOUT_MS} ms: ${firstLine(stderr())}`,
            howToEnable: HOW_TO_ENABLE_CAPTURE,
          },
        }),
      START_TIMEOUT_MS,
    );
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function attach(
  child: ChildProcess,
  watchdogPid: number,
  tcpdumpPid: number,
  filter: string,
  options: LiveCaptureOptions,
  stderr: () => string,
): LiveCapture {
  const reader = createCaptureReader(options.onRecord ?? (() => undefined));
  const stats = watchCaptureStats(child);
  // a new file only: a link or file planted at that name makes the save fail, never redirects it
  const file: WriteStream | null = options.saveTo ? createPrivateWriteStream(options.saveTo) : null;
  const warnings: string[] = [];
  let saved = file !== null;
  file?.on('error', (error) => {
    saved = false;
    warnings.push(`the capture was not saved: ${error.message}`);
  });
  let bytes = 0;
  let readerFailed = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    file?.write(chunk);
    if (readerFailed) return;
    try {
      reader.push(chunk);
    } catch (error) {
      readerFailed = true;
      warnings.push(`capture reader stopped: ${(error as Error).message}`);
    }
  });
  const stdoutEnded = new Promise<void>((resolve) => {
    if (!child.stdout) return resolve();
    child.stdout.once('end', resolve);
    child.stdout.once('close', resolve);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
  // the watchdog exits only after tcpdump has: neither pid may be killed later (it could be reused)
  void exited.then(() => {
    running.delete(watchdogPid);
    running.delete(tcpdumpPid);
  });
  let stopping: Promise<LiveCaptureStopped> | null = null;
  const onAbort = () => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // aborted while tcpdump was starting: the listener above will never fire
  if (options.signal?.aborted) onAbort();

  async function stop(): Promise<LiveCaptureStopped> {
    stopping ??= (async () => {
      options.signal?.removeEventListener('abort', onAbort);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      if (!(await drain(tcpdumpPid, stats, () => reader.records))) {
        warnings.push(`tcpdump had not caught up with the kernel ${DRAIN_TIMEOUT_MS} ms after the run: the last packets may be missing`);
      }
      // the watchdog's trap forwards this to tcpdump as SIGINT, which flushes and exits
      killQuietly(watchdogPid, 'SIGTERM');
      const timedOut = await Promise.race([
        Promise.all([exited, stdoutEnded]).then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS)),
      ]);
      if (timedOut) {
        warnings.push(`tcpdump did not exit within ${STOP_TIMEOUT_MS} ms of the stop signal: killed`);
        killQuietly(tcpdumpPid, 'SIGKILL');
        killQuietly(watchdogPid, 'SIGKILL');
      }
      child.stdin?.destroy();
      if (stats.dropped > 0) {
        warnings.push(
          `the kernel dropped ${plural(stats.dropped, 'packet')} tcpdump could not read in time: the capture is missing ${stats.dropped === 1 ? 'it' : 'them'}`,
        );
      }
      running.delete(watchdogPid);
      running.delete(tcpdumpPid);
      if (file) await new Promise<void>((resolve) => file.end(resolve));
      let read: CaptureReadSummary | null = null;
      if (!readerFailed) {
        try {
          read = reader.end();
          warnings.push(...read.warnings.map((warning) => warning.message));
        } catch (error) {
          warnings.push(`no capture data: ${(error as Error).message}`);
        }
      }
      const complaint = firstLine(
        stderr()
          .replace(/keepalive-lab: tcpdump-pid \d+\n?/g, '')
          .replace(/^.*(listening on|packets? (captured|received|dropped)).*$/gm, ''),
      );
      if (complaint) warnings.push(`tcpdump: ${complaint}`);
      return { file: saved ? (options.saveTo ?? null) : null, bytes, read, warnings };
    })();
    return stopping;
  }

  return {
    watchdogPid,
    tcpdumpPid,
    filter,
    get records() {
      return reader.records;
    },
    stop,
  };
}
