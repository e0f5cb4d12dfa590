/**
 * One client's exchange through the proxy on a borrowed upstream: both directions copied with
 * backpressure, newline-delimited requests and replies counted, so that the upstream goes back to
 * the pool only when every request has had its reply — never while a direction still copies, never
 * after an error, a stall or a half-close it had to forward.
 */
import type { Socket } from 'node:net';

const NEWLINE = 0x0a;

/** How the exchange ended; the proxy decides what happens to the upstream from it. */
export interface ExchangeEnd {
  /** the upstream is in a clean state (every request answered, no FIN forwarded) */
  reusable: boolean;
  reason: string;
  /** bytes client → upstream */
  bytesUp: number;
  /** bytes upstream → client */
  bytesDown: number;
}

export interface ExchangeTimeouts {
  /** ms to wait for outstanding replies after a client half-close */
  drainTimeoutMs: number;
  /** ms one side may refuse our writes before both ends are closed (0 = wait forever) */
  stallTimeoutMs: number;
}

function countNewlines(chunk: Buffer): number {
  let count = 0;
  for (let index = chunk.indexOf(NEWLINE); index !== -1; index = chunk.indexOf(NEWLINE, index + 1)) count += 1;
  return count;
}

/**
 * Copies `from` → `to` with backpressure (pause the source until `to` drains); returns a function that
 * stops copying. `onStall` runs when `to` has not drained within `stallTimeoutMs` (0 = never).
 */
function copy(from: Socket, to: Socket, onChunk: (chunk: Buffer) => void, stallTimeoutMs: number, onStall: () => void): () => void {
  let stallTimer: NodeJS.Timeout | null = null;
  const onData = (chunk: Buffer): void => {
    const flowing = to.write(chunk);
    // after the write: onChunk may finish the exchange and end `to`
    onChunk(chunk);
    if (!flowing && !to.writableEnded) {
      from.pause();
      if (stallTimeoutMs > 0 && stallTimer === null) stallTimer = setTimeout(onStall, stallTimeoutMs);
      to.once('drain', () => {
        if (stallTimer) clearTimeout(stallTimer);
        stallTimer = null;
        from.resume();
      });
    }
  };
  from.on('data', onData);
  from.resume();
  return () => {
    if (stallTimer) clearTimeout(stallTimer);
    from.off('data', onData);
  };
}

export class ProxiedExchange {
  private readonly counts = { bytesUp: 0, bytesDown: 0, linesUp: 0, linesDown: 0, partialUp: false, partialDown: false };
  private finished = false;
  private finForwarded = false;
  private drainTimer: NodeJS.Timeout | null = null;
  private readonly stopUp: () => void;
  private readonly stopDown: () => void;

  /** Starts copying at once; `onEnd` runs exactly once. */
  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly timeouts: ExchangeTimeouts,
    private readonly onEnd: (end: ExchangeEnd) => void,
  ) {
    const onStall = (): void => {
      this.finish(false, `stalled: a side read nothing for ${timeouts.stallTimeoutMs} ms`);
      client.destroy();
    };
    this.stopUp = copy(client, upstream, (chunk) => this.countUp(chunk), timeouts.stallTimeoutMs, onStall);
    this.stopDown = copy(upstream, client, (chunk) => this.countDown(chunk), timeouts.stallTimeoutMs, onStall);
    client.on('end', this.onClientEnd);
    client.on('close', this.onClientClose);
    upstream.on('end', this.onUpstreamEnd);
    upstream.on('close', this.onUpstreamClose);
  }

  private balanced(): boolean {
    const { linesUp, linesDown, partialUp, partialDown } = this.counts;
    return linesUp === linesDown && !partialUp && !partialDown;
  }

  private countUp(chunk: Buffer): void {
    this.counts.bytesUp += chunk.length;
    this.counts.linesUp += countNewlines(chunk);
    this.counts.partialUp = chunk[chunk.length - 1] !== NEWLINE;
  }

  private countDown(chunk: Buffer): void {
    this.counts.bytesDown += chunk.length;
    this.counts.linesDown += countNewlines(chunk);
    this.counts.partialDown = chunk[chunk.length - 1] !== NEWLINE;
    if (this.client.readableEnded && !this.finForwarded && this.balanced()) this.finish(true, 'client half-closed; all replies delivered');
  }

  private readonly onClientEnd = (): void => {
    if (this.balanced()) return this.finish(true, 'client half-closed; all replies delivered');
    this.drainTimer = setTimeout(() => {
      // replies still missing: forward the half-close, do not pool this upstream
      this.finForwarded = true;
      this.upstream.end();
    }, this.timeouts.drainTimeoutMs);
  };

  private readonly onClientClose = (): void => {
    if (this.balanced() && !this.finForwarded) this.finish(true, 'client closed; exchange complete');
    else this.finish(false, `client went away with ${this.counts.linesUp - this.counts.linesDown} repl(ies) outstanding`);
  };

  private readonly onUpstreamEnd = (): void => {
    // upstream half-closed: pass it on once its bytes are written, never pool it
    this.client.end();
  };

  private readonly onUpstreamClose = (): void => {
    // after a graceful upstream FIN the client was already ended: let it flush
    if (!this.client.destroyed && !this.client.writableEnded) this.client.destroy();
    this.finish(false, 'upstream closed');
  };

  private finish(reusable: boolean, reason: string): void {
    if (this.finished) return;
    this.finished = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.stopUp();
    this.stopDown();
    this.upstream.off('end', this.onUpstreamEnd);
    this.upstream.off('close', this.onUpstreamClose);
    this.client.off('end', this.onClientEnd);
    this.client.off('close', this.onClientClose);
    this.onEnd({ reusable, reason, bytesUp: this.counts.bytesUp, bytesDown: this.counts.bytesDown });
  }
}
