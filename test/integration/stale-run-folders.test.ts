/**
 * A `serve` killed with SIGKILL cannot tidy up: its run folder and the uploads in it stay behind.
 * The next start does what that run's clean exit would have done: uploads deleted, the folder removed
 * when nothing else is in it; saved captures stay. Only a dead process's own folder is touched: a
 * running process's folder, a folder of another mode, and a link stay.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRunFolder, removeStaleRunFolders } from '../../src/main/engine/private-files';
import { openPage, startServeChild, upload } from './helpers/web-client';

/** A pid no process has now: that of a child that has exited. */
async function deadPid(): Promise<number> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('run folders left by killed runs', () => {
  let runtime: string;
  beforeAll(async () => {
    runtime = await mkdtemp(join(tmpdir(), 'kl-runtime-'));
  });
  afterAll(async () => {
    await rm(runtime, { recursive: true, force: true });
  });

  it('removes the folder and uploads of a SIGKILLed serve on the next start', async () => {
    const serve = await startServeChild([], { XDG_RUNTIME_DIR: runtime });
    const folder = /Saved captures go to (\S+)/.exec(serve.output())?.[1] ?? '';
    expect(folder.startsWith(join(runtime, `keepalive-lab-${serve.child.pid}-`))).toBe(true);
    const client = await openPage(serve);
    expect((await upload(serve, client.page, 'x.pcap', 'bytes of a capture')).status).toBe(200);
    expect(await readdir(join(folder, 'uploads'))).toHaveLength(1);
    serve.child.kill('SIGKILL');
    await serve.stop();
    await client.close().catch(() => undefined);
    expect(await readdir(runtime)).toContain(folder.slice(runtime.length + 1)); // left behind

    const next = makeRunFolder({ XDG_RUNTIME_DIR: runtime });
    expect(await readdir(runtime)).toEqual([next.slice(runtime.length + 1)]);
    await rm(next, { recursive: true });
  });

  it('keeps saved captures, live runs, other modes and links', async () => {
    const dead = await deadPid();
    const withCapture = join(runtime, `keepalive-lab-${dead}-aaaaaa`);
    mkdirSync(join(withCapture, 'uploads'), { recursive: true, mode: 0o700 });
    writeFileSync(join(withCapture, 'uploads', 'u'), 'upload');
    writeFileSync(join(withCapture, 'capture-1.pcap'), 'saved');
    const live = join(runtime, `keepalive-lab-${process.pid}-bbbbbb`);
    mkdirSync(live, { mode: 0o700 });
    const open = join(runtime, `keepalive-lab-${dead}-cccccc`);
    mkdirSync(open);
    chmodSync(open, 0o755);
    const target = await mkdtemp(join(tmpdir(), 'kl-target-'));
    chmodSync(target, 0o700);
    symlinkSync(target, join(runtime, `keepalive-lab-${dead}-dddddd`));
    const empty = join(runtime, `keepalive-lab-${dead}-eeeeee`);
    mkdirSync(empty, { mode: 0o700 });

    expect(removeStaleRunFolders(runtime)).toEqual([empty]);
    expect(await readdir(withCapture)).toEqual(['capture-1.pcap']);
    expect((await readdir(runtime)).sort()).toEqual(
      [withCapture, live, open, join(runtime, `keepalive-lab-${dead}-dddddd`)].map((path) => path.slice(runtime.length + 1)).sort(),
    );
    await rm(target, { recursive: true });
    for (const name of await readdir(runtime)) await rm(join(runtime, name), { recursive: true });
  });
});
