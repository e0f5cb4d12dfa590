/**
 * How long each client keeps an idle connection, given the server's
 * `Keep-Alive: timeout=<s>` hint: what Node's http.Agent and undici do with it.
 * Apart from the clients so the loop can ask without loading undici.
 */
import type { HttpRunConfig } from '@shared/api-http';
import { keepAliveHintSeconds } from './http-request-types';

/** Node's agent subtracts this from the server's hint (lib/_http_agent.js, Node 20). */
const AGENT_HINT_BUFFER_MS = 1000;
/** undici subtracts keepAliveTimeoutThreshold (default 2000 ms) from the server's hint. */
const UNDICI_HINT_THRESHOLD_MS = 2000;
/** undici's cap on a hinted timeout (keepAliveMaxTimeout default), ms */
const UNDICI_HINT_MAX_MS = 600_000;

/** ms the agent keeps an idle socket, given the server's Keep-Alive hint (lib/_http_agent.js, Node 20). */
export function agentIdleTimeout(config: HttpRunConfig, hint: string | null): { ms: number | null; source: string } {
  if (!config.agent.keepAlive) return { ms: 0, source: 'agent keepAlive off: closed after each response' };
  const hintSeconds = keepAliveHintSeconds(hint);
  const agentTimeout = config.agent.timeoutMs;
  if (hintSeconds !== null) {
    const fromHint = hintSeconds * 1000 - AGENT_HINT_BUFFER_MS;
    if (fromHint <= 0)
      return { ms: 0, source: `server hint ${hintSeconds} s minus ${AGENT_HINT_BUFFER_MS} ms ≤ 0: agent does not keep the socket` };
    if (agentTimeout !== null && fromHint < agentTimeout)
      return { ms: fromHint, source: `server hint ${hintSeconds} s minus ${AGENT_HINT_BUFFER_MS} ms (below agent timeout)` };
  }
  if (agentTimeout !== null) return { ms: agentTimeout, source: 'agent timeout' };
  return { ms: null, source: hintSeconds !== null ? 'none: an agent without timeout ignores the hint' : 'none: agent has no timeout' };
}

/** ms undici keeps an idle connection, given the server's Keep-Alive hint (lib/dispatcher/client-h1.js). */
export function undiciIdleTimeout(config: HttpRunConfig, hint: string | null): { ms: number | null; source: string } {
  if (config.undici.pipelining === 0) return { ms: 0, source: 'pipelining 0: keep-alive disabled' };
  const hintSeconds = keepAliveHintSeconds(hint);
  if (hintSeconds === null) return { ms: config.undici.keepAliveTimeoutMs, source: 'undici keepAliveTimeout' };
  const fromHint = Math.min(hintSeconds * 1000 - UNDICI_HINT_THRESHOLD_MS, UNDICI_HINT_MAX_MS);
  if (fromHint <= 0)
    return { ms: 0, source: `server hint ${hintSeconds} s minus ${UNDICI_HINT_THRESHOLD_MS} ms ≤ 0: undici closes after the response` };
  return { ms: fromHint, source: `server hint ${hintSeconds} s minus ${UNDICI_HINT_THRESHOLD_MS} ms (replaces keepAliveTimeout)` };
}
