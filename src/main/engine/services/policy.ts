/**
 * What a caller may ask of the engine beyond what the schemas check, applied in one place before
 * any handler runs (service.ts): which files it may name, which hosts the lab may connect to, which
 * ports it may listen on. The CLI may do anything its user can; the web mode takes only files the
 * page uploaded, connects to loopback only and binds no privileged port unless `serve` was told to.
 */
import { isIP } from 'node:net';
import type { MethodName } from '@shared/api';
import { ServiceError } from './context';
import { HANDLE_PREFIX, type FileAccess, type FileGrants } from './file-grants';

export interface CallPolicy {
  mode: 'electron' | 'web' | 'cli';
  /** 'granted': file arguments must be handles from `files` (a page's uploads, a dialog's choice) */
  paths: 'any' | 'granted';
  files: FileGrants;
  /** connect the HTTP lab, the TCP experiments and the proxy to hosts other than loopback */
  allowRemoteTargets: boolean;
  /** let echo servers and proxies listen on ports below 1024 */
  allowPrivilegedPorts: boolean;
}

/** What `serve` takes to lift a refusal, for the error messages. */
export const SERVE_FLAGS = { remote: '--allow-remote-targets', privileged: '--allow-privileged-ports' } as const;

/** First port that needs no privilege on Unix. */
const FIRST_UNPRIVILEGED_PORT = 1024;

type Params = Record<string, unknown>;

/** Checks one call; returns its params with file handles replaced by the paths they stand for. */
export function applyPolicy(name: MethodName, params: unknown, policy: CallPolicy): unknown {
  const record = { ...(params as Params) };
  switch (name) {
    case 'capture.open':
    case 'har.open':
      record['path'] = resolvePath(record['path'], 'read', policy);
      return record;
    case 'file.detect':
      // looks at the first bytes of a file the caller may open next: the handle stays good for that
      record['path'] = resolvePath(record['path'], 'read', policy, { keep: true });
      return record;
    case 'capture.correlate':
      record['capturePath'] = resolvePath(record['capturePath'], 'read', policy);
      if (record['sessionPath'] !== undefined) record['sessionPath'] = resolvePath(record['sessionPath'], 'read', policy);
      return record;
    case 'report.save':
    case 'har.save':
      if (policy.mode === 'web') {
        throw new ServiceError('not-available', 'in the web mode the engine writes no file: the page downloads it instead');
      }
      record['path'] = resolvePath(record['path'], 'write', policy);
      return record;
    case 'analyze.file':
    case 'report.write':
    case 'report.convert':
      // plain paths and whole bundles from the caller: the CLI's user may, a page may not
      if (policy.mode !== 'cli') throw new ServiceError('not-available', `${name} is for the command line only`);
      return record;
    case 'http.run':
    case 'http2.run':
      checkUrl(record['config'], policy);
      return record;
    case 'http.compare':
      checkUrl((record['a'] as Params | undefined)?.['config'], policy);
      checkUrl((record['b'] as Params | undefined)?.['config'], policy);
      return record;
    case 'tcp.runMux':
    case 'tcp.runPool':
    case 'tcp.runKeepalive':
      checkTarget(record['target'], policy);
      return record;
    case 'tcp.startEcho':
      checkListenPort(record['port'], policy);
      return record;
    case 'tcp.startProxy':
      checkListenPort(record['listenPort'], policy);
      checkTarget(record['upstream'], policy);
      return record;
    default:
      return params;
  }
}

function resolvePath(value: unknown, access: FileAccess, policy: CallPolicy, options: { keep?: boolean } = {}): string {
  const given = String(value);
  if (given.startsWith(HANDLE_PREFIX)) {
    const path = options.keep ? policy.files.peek(given, access) : policy.files.take(given, access);
    if (path === null) {
      throw new ServiceError(
        'unknown-file',
        policy.mode === 'web'
          ? 'that file is no longer available here: choose or upload it again'
          : 'that file is no longer available here: choose it again, or drop it on the window again',
      );
    }
    return path;
  }
  if (policy.paths === 'any') return given;
  throw new ServiceError(
    'path-refused',
    policy.mode === 'web'
      ? 'the web mode opens only files uploaded from this page: drop the file on the page or use the file picker'
      : 'the desktop app opens and writes only files chosen in its dialogs or dropped on its window: use File > Open capture…, Export report… or drop the file',
  );
}

/**
 * True for 127.0.0.0/8, ::1, an IPv4-mapped loopback, and the name localhost (from /etc/hosts).
 * Not `*.localhost`: whether those stay on the machine is up to the resolver.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || /^(0+:){7}0*1$/.test(bare);
  return false;
}

function refuseRemote(host: string): never {
  throw new ServiceError(
    'target-refused',
    `the web mode connects to this machine only (127.0.0.1, ::1, localhost), not to ${host}. ` +
      `To reach other hosts, restart it with \`keepalive-lab serve ${SERVE_FLAGS.remote}\``,
  );
}

function checkTarget(target: unknown, policy: CallPolicy): void {
  if (policy.allowRemoteTargets || target === undefined) return;
  const host = String((target as Params)['host']);
  if (!isLoopbackHost(host)) refuseRemote(host);
}

function checkUrl(config: unknown, policy: CallPolicy): void {
  if (policy.allowRemoteTargets || !config || typeof config !== 'object') return;
  const url = (config as Params)['url'];
  if (typeof url !== 'string') return; // null = the embedded server; other types fail the config schema
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return; // not a URL: the config schema says so
  }
  if (!isLoopbackHost(host)) refuseRemote(host);
}

function checkListenPort(port: unknown, policy: CallPolicy): void {
  if (policy.allowPrivilegedPorts || typeof port !== 'number' || port === 0 || port >= FIRST_UNPRIVILEGED_PORT) return;
  throw new ServiceError(
    'port-refused',
    `port ${port} is a privileged port (below ${FIRST_UNPRIVILEGED_PORT}): use 0 for any free port, or a port from ${FIRST_UNPRIVILEGED_PORT} up` +
      (policy.mode === 'web' ? ` (or restart the web mode with \`keepalive-lab serve ${SERVE_FLAGS.privileged}\`)` : ''),
  );
}
