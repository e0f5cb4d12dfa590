/**
 * Counts this process's TCP sockets to one remote port, the way `lsof -p <pid>`
 * would: socket inodes from /proc/self/fd joined with /proc/net/tcp{,6} rows.
 * Linux only; elsewhere returns null and the lab falls back to socket events.
 *
 * /proc/net/tcp row (proc(5), net/ipv4/tcp_ipv4.c get_tcp4_sock):
 *
 *    sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
 *    0:  0100007F:8789 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  0   0       22081
 *        addr (hex, host byte order u32) : port (hex)    state (01 ESTABLISHED, 0A LISTEN)
 *
 * In /proc/net/tcp6 the address is four host-order u32 words (32 hex digits).
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

const STATE_LISTEN = '0A';
/** columns: 0 sl, 1 local, 2 remote, 3 state, …, 9 inode */
const REMOTE_COLUMN = 2;
const STATE_COLUMN = 3;
const INODE_COLUMN = 9;

async function ownSocketInodes(): Promise<Set<string>> {
  const inodes = new Set<string>();
  const entries = await readdir('/proc/self/fd');
  await Promise.all(
    entries.map(async (entry) => {
      try {
        const target = await readlink(`/proc/self/fd/${entry}`);
        const match = /^socket:\[(\d+)\]$/.exec(target);
        if (match?.[1]) inodes.add(match[1]);
      } catch {
        // the fd was closed between readdir and readlink
      }
    }),
  );
  return inodes;
}

async function readTable(path: string): Promise<string[][]> {
  try {
    const text = await readFile(path, 'utf8');
    return text
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((columns) => columns.length > INODE_COLUMN);
  } catch {
    return [];
  }
}

/**
 * Sockets of this process whose remote port is `remotePort` (any state but LISTEN).
 * `remotePort` alone is enough on loopback labs; pass several when a name resolved to many.
 */
export async function countOwnSocketsTo(remotePort: number): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  const [inodes, ipv4, ipv6] = await Promise.all([ownSocketInodes(), readTable('/proc/net/tcp'), readTable('/proc/net/tcp6')]);
  const portHex = remotePort.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const columns of [...ipv4, ...ipv6]) {
    const remote = columns[REMOTE_COLUMN] ?? '';
    if (columns[STATE_COLUMN] === STATE_LISTEN) continue;
    if (!remote.endsWith(`:${portHex}`)) continue;
    if (inodes.has(columns[INODE_COLUMN] ?? '')) count += 1;
  }
  return count;
}

/** Samples `countOwnSocketsTo` on demand and every `everyMs`; keeps the maximum. */
export class OpenSocketSampler {
  max = 0;
  last = 0;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly remotePort: number) {}

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.sample(), everyMs);
    this.timer.unref();
  }

  /** Serialised so samples land in order. */
  sample(): Promise<void> {
    this.chain = this.chain.then(async () => {
      const count = await countOwnSocketsTo(this.remotePort);
      if (count === null) return;
      this.last = count;
      this.max = Math.max(this.max, count);
    });
    return this.chain;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }
}
