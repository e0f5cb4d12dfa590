/**
 * No file descriptor or timer may outlive a run: snapshot /proc/self/fd and
 * process.getActiveResourcesInfo() before, then wait (bounded) for both to come back.
 * It counts by type, it does not track identities: a leak can hide behind a runner timer that ended
 * meanwhile (a false "clean", never a false alarm). leak-check.test.ts proves it sees real leaks.
 */
import { countOpenFds } from './fd-count';

export interface ResourceSnapshot {
  fds: number;
  /** counts by type from process.getActiveResourcesInfo(): Timeout, TCPSocketWrap, TCPServerWrap, … */
  resources: Record<string, number>;
}

/** Resource types a lab run creates; others (FSReqCallback, the test runner's pipes) are not ours to judge. */
const WATCHED = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap', 'Immediate'];

export async function snapshotResources(): Promise<ResourceSnapshot> {
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) if (WATCHED.includes(type)) resources[type] = (resources[type] ?? 0) + 1;
  return { fds: await countOpenFds(), resources };
}

/** What is still above `before` (empty when nothing leaked), after waiting up to settleMs (ms) for closes to land. */
export async function leakedSince(before: ResourceSnapshot, settleMs = 3000): Promise<Record<string, number>> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const now = await snapshotResources();
    const leaked: Record<string, number> = {};
    if (now.fds > before.fds) leaked.fds = now.fds - before.fds;
    for (const [type, count] of Object.entries(now.resources)) {
      const extra = count - (before.resources[type] ?? 0);
      if (extra > 0) leaked[type] = extra;
    }
    if (Object.keys(leaked).length === 0 || Date.now() >= deadline) return leaked;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
