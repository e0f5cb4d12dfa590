/**
 * Why the client dialled: decided at the moment of the dial from the state of
 * every connection of the run (busy, idle, ending, closed) and the client's
 * settings — the vocabulary is src/shared/connection-cause.ts.
 *
 * Order matters: keep-alive off explains every dial; an idle connection that
 * was passed over is the client's own timing; a connection that went away is
 * replaced before blaming busy ones (had it stayed, it would have been free).
 */
import { listWords, type NewConnection } from '@shared/connection-cause';
import type { TrackedConnection } from './http-connections';

export interface DialPolicy {
  client: 'agent' | 'undici';
  /** agent keepAlive / undici pipelining ≥ 1 */
  keepAlive: boolean;
  /** ms the client keeps an idle connection, given the server's Keep-Alive hint */
  clientIdleTimeout(hint: string | null): { ms: number | null; source: string };
  /** the embedded server's keepAliveTimeout, ms; null = unknown */
  serverIdleTimeoutMs: number | null;
}

/** Who ended a connection, when (lab clock, µs) and why, in a sentence. */
export interface Ending {
  by: 'local' | 'remote';
  atUs: number;
  reason: string;
}

/** ms of slack when matching an idle time to a configured timeout (timers fire a little late, never early) */
const TIMEOUT_MATCH_FRACTION = 0.9;

/** "0.31 ms", "12 ms", "1.2 s" */
export function durationText(us: number): string {
  const ms = Math.max(0, us) / 1000;
  if (ms < 10) return `${Number(ms.toFixed(2))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** How a connection is ending or ended, from what its socket and its last request show (`atUs` on the lab clock). */
export function endingOf(connection: TrackedConnection, policy: DialPolicy, atUs: number, reset = false): Ending {
  const { state } = connection;
  const idleFor = state.kind === 'idle' ? durationText(atUs - state.sinceUs) : '';
  if (reset || connection.remoteEnded || connection.serverAnnouncedClose) {
    const say = (reason: string): Ending => ({ by: 'remote', atUs, reason });
    if (reset)
      return say(
        state.kind === 'busy'
          ? `the server reset it (RST) during request ${state.request}`
          : `the server reset it (RST) after ${idleFor} idle`,
      );
    if (connection.serverAnnouncedClose && state.kind === 'idle')
      return say(`the server answered request ${state.lastRequest} with Connection: close`);
    if (state.kind === 'busy') return say(`the server closed it (FIN) during request ${state.request}, without answering`);
    const server = policy.serverIdleTimeoutMs;
    const matchesServer = server !== null && atUs - state.sinceUs >= server * 1000 * TIMEOUT_MATCH_FRACTION;
    return say(`the server closed it (FIN) after ${idleFor} idle${matchesServer ? ` (its keep-alive timeout, ${server} ms)` : ''}`);
  }
  const say = (reason: string): Ending => ({ by: 'local', atUs, reason });
  if (state.kind === 'busy') return say(`the client closed it during request ${state.request}`);
  const timeout = policy.clientIdleTimeout(connection.keepAliveHint);
  if (timeout.ms !== null && timeout.ms > 0 && atUs - state.sinceUs >= timeout.ms * 1000 * TIMEOUT_MATCH_FRACTION)
    return say(`the client closed it after ${idleFor} idle: its idle timeout (${timeout.source}, ${timeout.ms} ms)`);
  return say(`the client closed it after ${idleFor} idle`);
}

/** The ending of a connection known now: marked by the client, or seen on its socket (destroyed, FIN received). */
function currentEnding(connection: TrackedConnection, policy: DialPolicy, nowUs: number): Ending | null {
  if (connection.ending) return connection.ending;
  if (connection.closed || connection.socket.destroyed || connection.remoteEnded) connection.ending = endingOf(connection, policy, nowUs);
  return connection.ending;
}

function describeBusy(busy: readonly TrackedConnection[], dialling: number): string {
  const each = busy.map((connection) =>
    connection.state.kind === 'busy' && connection.state.request > 0
      ? `${connection.id} with request ${connection.state.request}`
      : `${connection.id} just connected for a waiting request`,
  );
  if (busy.length === 0)
    return dialling === 1
      ? 'the only other connection was still being dialled'
      : `the ${dialling} other connections were still being dialled`;
  if (dialling > 0) each.push(dialling === 1 ? 'one more still being dialled' : `${dialling} more still being dialled`);
  return `every connection was busy: ${listWords(each)}`;
}

export function dialCause(
  connections: readonly TrackedConnection[],
  dialling: number,
  policy: DialPolicy,
  nowUs: number,
): { newConnection: NewConnection; replaces: TrackedConnection | null } {
  const because = (cause: NewConnection['cause'], detail: string, replaces: TrackedConnection | null = null) => ({
    newConnection: { cause, detail },
    replaces,
  });
  if (connections.length === 0 && dialling === 0) return because('first', 'nothing to reuse yet: the run’s first connection');
  if (!policy.keepAlive) {
    const previous = connections.at(-1);
    return because(
      'keepalive-off',
      previous
        ? `keep-alive is off: ${previous.id} carried only request ${previous.requestIndexes.join(', ') || '?'}, as each connection is closed after its response`
        : 'keep-alive is off: every request gets its own connection',
    );
  }
  const live = connections.filter((connection) => currentEnding(connection, policy, nowUs) === null);
  const idle = live.filter((connection) => connection.state.kind === 'idle' && connection.requests > 0);
  const passedOver = idle[0];
  if (passedOver && passedOver.state.kind === 'idle') {
    const ago = durationText(nowUs - passedOver.state.sinceUs);
    if (policy.client === 'undici')
      return because(
        'undici-not-yet-free',
        `${passedOver.id} finished request ${passedOver.state.lastRequest} only ${ago} before, but undici’s pool had not marked it free yet (it does so one event-loop turn after a response ends)`,
      );
    return because(
      'all-busy',
      `${passedOver.id} finished request ${passedOver.state.lastRequest} only ${ago} before, but the agent had not taken it back yet`,
    );
  }
  const gone = connections
    .filter((connection) => !connection.replaced && connection.ending !== null)
    .sort((a, b) => (a.ending?.atUs ?? 0) - (b.ending?.atUs ?? 0))[0];
  if (gone?.ending) {
    const cause = gone.ending.by === 'remote' ? 'closed-by-server' : 'closed-by-client';
    return because(cause, `${gone.id} was gone: ${gone.ending.reason}, ${durationText(nowUs - gone.ending.atUs)} before this dial`, gone);
  }
  const busy = live.filter((connection) => connection.state.kind === 'busy');
  const unread = busy.filter((connection) => connection.state.kind === 'busy' && connection.state.unread);
  const latest = unread.at(-1);
  if (latest && latest.state.kind === 'busy') {
    const others = unread.slice(0, -1).map((connection) => connection.id);
    const also = others.length === 0 ? '' : ` (as ${others.length === 1 ? 'was' : 'were'} ${listWords(others)})`;
    return because('body-unread', `${latest.id} was still holding request ${latest.state.request}'s unread body${also}`);
  }
  return because('all-busy', describeBusy(busy, dialling));
}
