/**
 * Import: a capture of a lab session taken elsewhere (the user's own tcpdump) and the saved
 * session, correlated exactly as a live capture is. The session file may be a Session, or any
 * lab result that holds one under `session` (an HTTP run, a TCP experiment, a CLI --json dump).
 */
import type { CorrelatedCapture } from '@shared/api-correlate';
import { SessionSchema, type Session } from '@shared/trace';
import { readCaptureFile } from '../capture/read-capture';
import { readTextFile } from '../read-files';
import { captureReport } from './capture-report';
import { correlateSession, type Correlation } from './correlate-session';
import { endpointKey, pairKey } from './match';
import { WireLog } from './wire-log';
import { plural, pluralWord } from '@shared/counting';

/** Largest session file we parse, bytes: a lab session is kilobytes to a few megabytes. */
const MAX_SESSION_BYTES = 256 * 1024 * 1024;
/** ms a session file may take to read (a local file takes milliseconds; a hung mount forever) */
const SESSION_READ_TIMEOUT_MS = 30_000;

export class SessionFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionFileError';
  }
}

/** Finds the Session in parsed JSON: the value itself or its `session` field. */
export function sessionFromJson(value: unknown): Session {
  const candidate = value !== null && typeof value === 'object' && 'session' in value ? (value as { session: unknown }).session : value;
  const parsed = SessionSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new SessionFileError(
    `not a Keepalive Lab session (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`,
  );
}

export async function readSessionFile(path: string): Promise<Session> {
  const text = await readTextFile(path, MAX_SESSION_BYTES, SESSION_READ_TIMEOUT_MS);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault: it must not reach the caller
    throw new SessionFileError(`${path}: not JSON, so not a lab session (saved with --json or from the app)`);
  }
  return sessionFromJson(json);
}

/** Reads the capture file (in chunks) and correlates it with `session`. Rejects with CaptureFormatError for a non-capture. */
export async function correlateCaptureFile(
  session: Session,
  capturePath: string,
  signal?: AbortSignal,
): Promise<{ correlation: Correlation; report: CorrelatedCapture }> {
  const pairs = new Set(
    session.connections.flatMap((connection) =>
      connection.local && connection.remote ? [pairKey(endpointKey(connection.local), endpointKey(connection.remote))] : [],
    ),
  );
  const wire = new WireLog(undefined, pairs);
  const read = await readCaptureFile(capturePath, { onRecord: wire.onRecord, signal });
  const captured = wire.finish();
  const correlation = correlateSession(session, captured);
  const warnings = read.warnings.map((warning) => warning.message);
  if (captured.segmentsDropped > 0)
    warnings.push(
      `${plural(captured.segmentsDropped, 'segment')} past the first ${captured.segments.length} ${pluralWord(captured.segmentsDropped, 'was', 'were')} not correlated`,
    );
  return { correlation, report: captureReport(correlation, { file: capturePath, filter: null, warnings }) };
}
