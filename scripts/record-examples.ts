/**
 * `npm run examples`: records the example captures again (src/shared/example-captures.ts) into
 * examples/captures/<id>.pcap, each with the lab's own CLI or engine under tcpdump on loopback.
 * Needs tcpdump (and root with `ip netns` for the half-open one; skipped with a message otherwise).
 * `npm run examples -- ID…` records only those.
 */
import { execFile } from 'node:child_process';
import { mkdir, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { EXAMPLE_CAPTURES, type ExampleCapture } from '../src/shared/example-captures';
import { resolveHttpConfig } from '../src/main/engine/lab/http-scenarios';
import { runHttpLoopWithCapture } from '../src/main/engine/correlate/http-capture';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '..');
const outDir = resolve(repoRoot, 'examples/captures');
/** ms a single recording may take before it is abandoned (the longest, http-idle-gaps, takes about 8 s) */
const RECORD_TIMEOUT_MS = 60_000;

async function record(example: ExampleCapture, file: string): Promise<void> {
  if (example.recipe.kind === 'cli') {
    const args = [resolve(repoRoot, 'bin/keepalive-lab.mjs'), ...example.recipe.args, '--capture', file, '--json'];
    await run(process.execPath, args, { cwd: repoRoot, timeout: RECORD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    return;
  }
  const result = await runHttpLoopWithCapture(resolveHttpConfig(undefined, example.recipe.config), {}, { saveTo: file });
  if (result.capture?.status !== 'captured') throw new Error(result.capture?.message ?? 'no capture');
}

async function main(): Promise<number> {
  const only = new Set(process.argv.slice(2));
  const unknown = [...only].filter((id) => !EXAMPLE_CAPTURES.some((example) => example.id === id));
  if (unknown.length > 0) {
    console.error(`unknown example(s): ${unknown.join(', ')}; known: ${EXAMPLE_CAPTURES.map((example) => example.id).join(', ')}`);
    return 1;
  }
  await mkdir(outDir, { recursive: true });
  let failed = 0;
  for (const example of EXAMPLE_CAPTURES) {
    if (only.size > 0 && !only.has(example.id)) continue;
    if (example.needsRoot && process.getuid?.() !== 0) {
      console.log(`${example.id}: skipped (needs root and ip netns; the committed file stays)`);
      continue;
    }
    const file = resolve(outDir, `${example.id}.pcap`);
    // written beside the old file and renamed over it: a failed run leaves the committed one intact
    const partial = `${file}.partial`;
    try {
      await record(example, partial);
      await rename(partial, file);
      console.log(`${example.id}: recorded (${example.recordedWith})`);
    } catch (error) {
      failed += 1;
      await rm(partial, { force: true });
      console.error(`${example.id}: failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
