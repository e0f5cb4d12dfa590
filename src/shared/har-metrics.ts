/**
 * A HAR import's headline figures by name, for lessons and summaries: what a lesson's
 * `{metric}` placeholders and choice conditions read (see src/shared/lessons/what-did-my-browser-reuse.ts).
 */
import type { HarImport } from './api-har';

export function harMetrics(har: HarImport): Record<string, number | null> {
  const perOrigin = har.origins.map((origin) => origin.connectionsOpened);
  return {
    requests: har.requests.length,
    connections: har.connections.length,
    reused: har.requests.filter((request) => request.reused === true).length,
    offNetwork: har.requests.filter((request) => request.connection === null).length,
    allBusy: har.connections.filter((connection) => connection.cause === 'all-busy').length,
    unexplained: har.connections.filter((connection) => connection.cause === 'unexplained').length,
    poolWaits: har.requests.filter((request) => request.waitedForPool !== null).length,
    maxConnectionsPerOrigin: perOrigin.length === 0 ? null : Math.max(...perOrigin),
    maxConcurrentOnOneConnection:
      har.connections.length === 0 ? null : Math.max(...har.connections.map((connection) => connection.maxConcurrent)),
  };
}
