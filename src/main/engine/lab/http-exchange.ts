/**
 * One request attempt of an HTTP lab run, as the trace sees it: recorded when it
 * starts, sent through the client, recorded when it ends with its timings and
 * — when the pool made it wait — the wait.
 */
import { labRequestId } from './http-target';
import type { HttpRunConfig } from '@shared/api-http';
import type { HttpRecorder } from './http-recorder';
import { nowUs } from './http-recorder';
import type { HttpClient, RequestOutcome, RequestPlan } from './http-request-types';

export class Exchange {
  /** "r3", or "r3.2" for a retry */
  readonly requestId: string;
  readonly plan: RequestPlan;

  constructor(
    readonly index: number,
    readonly attempt: number,
    runId: string,
    url: URL,
    config: HttpRunConfig,
    signal: AbortSignal,
  ) {
    this.requestId = labRequestId(index, attempt);
    this.plan = {
      index,
      labId: `${runId}-${index}${attempt > 1 ? `-retry${attempt - 1}` : ''}`,
      url,
      method: config.method,
      timeoutMs: config.timeoutMs,
      body: config.body,
      partialBytes: config.partialBytes,
      signal,
    };
  }

  async send(
    client: HttpClient,
    recorder: HttpRecorder,
    reusedVerdict: (outcome: RequestOutcome) => boolean | null,
  ): Promise<RequestOutcome> {
    const { plan } = this;
    recorder.requestStarted(
      this.requestId,
      nowUs(),
      `${plan.method} ${plan.url.pathname} #${this.index}${this.attempt > 1 ? ' (retry)' : ''}`,
    );
    const outcome = await client.send(plan);
    const waitedForPoolUs = poolWaitUs(outcome);
    recorder.requestEnded(this.requestId, outcome.connection?.id ?? null, outcome.endedUs, {
      reused: reusedVerdict(outcome),
      status: outcome.status,
      error: outcome.error,
      timings: {
        queuedUs: outcome.assignedUs === null ? null : outcome.assignedUs - outcome.startedUs,
        connectUs: outcome.connectStartUs === null || outcome.connectedUs === null ? null : outcome.connectedUs - outcome.connectStartUs,
        firstByteUs: outcome.firstByteUs === null ? null : outcome.firstByteUs - outcome.startedUs,
        totalUs: outcome.endedUs - outcome.startedUs,
      },
      ...(waitedForPoolUs !== null ? { waitedForPoolUs } : {}),
      // a held (never read) body keeps the socket busy until the run releases it
      ...(outcome.release !== null && outcome.error === null ? { bodyUnread: true } : {}),
    });
    if (outcome.error)
      recorder.note('error', `request ${this.index}: ${outcome.error}${outcome.errorCode ? ` (${outcome.errorCode})` : ''}`);
    return outcome;
  }
}

/** µs a request queued by the pool waited for its connection; null when it was not queued. */
export function poolWaitUs(outcome: RequestOutcome): number | null {
  if (!outcome.queuedByPool) return null;
  return (outcome.assignedUs ?? outcome.endedUs) - outcome.startedUs;
}
