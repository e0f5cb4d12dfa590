/**
 * Another local user plants things where the engine writes. Before, the data folder was the
 * shared, predictable `$TMPDIR/keepalive-lab`: a symlink planted there by `nobody` redirected
 * uploads and saved captures (written as root), and a plain file of that name crashed the server
 * on every upload. Now each run makes its own folder (mkdtemp, 0700), every folder is checked
 * before use, files are created exclusively without following links, and every upload error is
 * answered. The plants are made as `nobody` when this test runs as root, else as this user.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { lstat, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, startServeChild, startTestServer, stillAnswers, upload } from './helpers/web-client';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Runs a command as `nobody` (root only), else as this user. */
function asOtherUser(command: string, args: string[]): void {
  execFileSync(command, args, asRoot ? { uid: NOBODY, gid: NOBODY } : {});
}

describe('a planted shared folder name', () => {
  let sharedTmp: string;
  let victim: string;
  beforeAll(async () => {
    sharedTmp = await mkdtemp(join(tmpdir(), 'kl-shared-tmp-'));
    chmodSync(sharedTmp, 0o1777); // like /tmp: anyone may create, nobody may remove another's
    victim = await mkdtemp(join(tmpdir(), 'kl-victim-'));
  });
  afterAll(async () => {
    await rm(sharedTmp, { recursive: true, force: true });
    await rm(victim, { recursive: true, force: true });
  });

  for (const plant of ['symlink', 'plain file'] as const) {
    it(`leaves serve unharmed when the old name is a ${plant}: its own private folder, uploads answered`, async () => {
      const planted = join(sharedTmp, 'keepalive-lab');
      await rm(planted, { force: true });
      if (plant === 'symlink') asOtherUser('ln', ['-s', victim, planted]);
      else asOtherUser('touch', [planted]);
      const serve = await startServeChild([], { TMPDIR: sharedTmp, XDG_RUNTIME_DIR: '' });
      try {
        const folder = /Saved captures go to (\S+)/.exec(serve.output())?.[1] ?? '';
        expect(folder.startsWith(join(sharedTmp, 'keepalive-lab-'))).toBe(true);
        const info = await lstat(folder);
        expect(info.isDirectory()).toBe(true);
        expect(info.mode & 0o777).toBe(0o700);
        expect(info.uid).toBe(process.getuid?.());

        const client = await openPage(serve);
        const sent = await upload(serve, client.page, 'x.pcap', 'bytes of a capture');
        expect(sent.status).toBe(200);
        const stored = await readdir(join(folder, 'uploads'));
        expect(stored).toHaveLength(1);
        expect((await stat(join(folder, 'uploads', stored[0]!))).mode & 0o777).toBe(0o600);
        expect(await readdir(victim)).toEqual([]);
        await client.close();
        expect(await stillAnswers(serve)).toBe(true);
      } finally {
        expect(await serve.stop()).toBe(0);
      }
    });
  }
});

describe('an upload folder that is not ours', () => {
  let scratch: string;
  let victim: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kl-plant-'));
    chmodSync(scratch, 0o1777);
    victim = await mkdtemp(join(tmpdir(), 'kl-victim-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    await rm(victim, { recursive: true, force: true });
  });

  const plants: Array<[string, (path: string) => Promise<void> | void, RegExp]> = [
    ['a symlink to another folder', (path) => asOtherUser('ln', ['-s', victim, path]), /is a symbolic link, not a folder/],
    ['a plain file', (path) => asOtherUser('touch', [path]), /is not a folder \(a file of that name is in the way\)/],
    ['a folder anyone may enter', (path) => mkdirSync(path, { mode: 0o777 }), /can be entered by other users \(mode 777\)/],
  ];
  if (asRoot)
    plants.push(['a folder of another user', (path) => asOtherUser('mkdir', ['-m', '700', path]), /belongs to another user \(uid 65534\)/]);

  for (const [name, plantIt, message] of plants) {
    it(`answers an upload into ${name} with a clear 500, writes nothing, and keeps serving`, async () => {
      const uploadDir = join(scratch, `uploads-${name.replace(/\W+/g, '-')}`);
      await plantIt(uploadDir);
      if (name.startsWith('a folder anyone')) chmodSync(uploadDir, 0o777); // past the umask
      const server = await startTestServer({ uploadDir });
      try {
        const client = await openPage(server);
        for (let attempt = 0; attempt < 3; attempt++) {
          const reply = await upload(server, client.page, 'x.pcap', 'bytes');
          expect(reply.status).toBe(500);
          expect(reply.body).toMatch(message);
        }
        expect(await readdir(victim)).toEqual([]);
        await client.close();
        expect(await stillAnswers(server)).toBe(true);
      } finally {
        await server.stop();
      }
    });
  }

  it('refuses to save a capture into a data folder that is a symlink, and says why', async () => {
    const dataDir = join(scratch, 'data-link');
    asOtherUser('ln', ['-s', victim, dataDir]);
    const server = await startTestServer({ service: { dataDir } });
    try {
      const client = await openPage(server);
      const run = await client.call('tcp.runKeepalive', { idleS: 1, holdS: 0, saveCapture: true });
      expect(run.ok).toBe(false);
      expect(run.error?.message).toMatch(/is a symbolic link, not a folder: refusing to write through it/);
      expect(await readdir(victim)).toEqual([]);
      await client.close();
    } finally {
      await server.stop();
    }
  });
});
