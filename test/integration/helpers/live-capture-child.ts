/**
 * A stand-in for the app in the crash test: starts a live capture on the port given as
 * argv[2], prints the pids as one JSON line, then waits to be killed (at most 60 s).
 */
import { startLiveCapture } from '@engine/capture/live';

const port = Number(process.argv[2]);
const started = await startLiveCapture({ ports: [port] });
if (!started.ok) {
  process.stdout.write(`${JSON.stringify({ error: started.unavailable.message })}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ watchdogPid: started.capture.watchdogPid, tcpdumpPid: started.capture.tcpdumpPid })}\n`);
setTimeout(() => process.exit(0), 60_000);
