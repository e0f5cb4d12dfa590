/**
 * The desktop shell hands the renderer handles, never paths: a dialog's choice and a dropped file
 * become one-time handles for one access (read for Open and drop, write for Save), the engine
 * created as start.ts creates it (`paths: 'granted'`) refuses a raw path, a used handle and a
 * handle for the other access, and the drop channel takes only the absolute path of a real file,
 * from the app window. The engine runs for real here (a public capture opened, a report written).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeElectron, recorded } from './fake-electron';

vi.mock('electron', () => fakeElectron());

const { createMainWindow } = await import('../../../../src/main/shell/window');
const { createCallHandler, createDropHandler, wireIpc, CALL_CHANNEL, DROP_CHANNEL } = await import('../../../../src/main/shell/ipc');
const { createService } = await import('@engine/service');
const { FileGrants, HANDLE_PREFIX, MAX_GRANTS } = await import('@engine/services/file-grants');

const CAPTURE = resolve(import.meta.dirname, '../../../../../shared/captures/public/arkime__websocket.pcap');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kl-handles-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

/** The shell as start.ts wires it, with dialogs that answer as a person would (next answers in order). */
function desktop() {
  const service = createService({ mode: 'electron', paths: 'granted', dataDir: folder });
  const win = createMainWindow({ devUrl: null, preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
  const answers = { open: [] as Array<string | null>, save: [] as Array<string | null> };
  const dialogs = {
    chooseOpen: async () => answers.open.shift() ?? null,
    chooseSave: async () => answers.save.shift() ?? null,
  };
  const context = { getWindow: () => win as never, dialogs, devUrl: null };
  const call = createCallHandler(service, context);
  const drop = createDropHandler(service, context);
  const own = { sender: win.webContents, senderFrame: win.webContents.mainFrame } as never;
  return { service, win, answers, context, own, call: (name: string, params: unknown) => call(own, name, params), drop };
}

const openRequest = { title: 'Open capture', extensions: ['pcap'] };
const saveRequest = { title: 'Export report', suggestedName: 'report.md', extensions: ['md'] };

describe('dialog choices become one-time handles', () => {
  it('opens a chosen capture by its handle and names the file, not the handle, in the report', async () => {
    const app = desktop();
    app.answers.open.push(CAPTURE);
    const chosen = await app.call('file.chooseOpen', openRequest);
    expect(chosen).toEqual({
      ok: true,
      value: { path: expect.stringMatching(new RegExp(`^${HANDLE_PREFIX}`)), name: 'arkime__websocket.pcap' },
    });
    const handle = (chosen as { value: { path: string } }).value.path;
    expect(handle).not.toContain(CAPTURE);
    expect(await app.call('capture.open', { path: handle })).toMatchObject({ ok: true, value: { packets: expect.any(Number) } });
    const bundle = await app.call('session.bundle', {});
    expect((bundle as { value: { captures: Array<{ file: string }> } }).value.captures.map((capture) => capture.file)).toEqual([
      'arkime__websocket.pcap',
    ]);
    // one time: the same handle again is refused, and says what to do
    expect(await app.call('capture.open', { path: handle })).toEqual({
      ok: false,
      error: { code: 'unknown-file', message: 'that file is no longer available here: choose it again, or drop it on the window again' },
    });
    await app.service.dispose();
  });

  it('writes a report by a save handle; a save handle does not read and an open handle does not write', async () => {
    const app = desktop();
    const target = join(folder, 'notes.md');
    app.answers.save.push(target, join(folder, 'other.md'));
    app.answers.open.push(CAPTURE);
    const save = (await app.call('file.chooseSave', saveRequest)) as { value: { path: string; name: string } };
    expect(save.value.name).toBe('notes.md');
    const open = (await app.call('file.chooseOpen', openRequest)) as { value: { path: string } };
    const otherSave = (await app.call('file.chooseSave', saveRequest)) as { value: { path: string } };

    expect(await app.call('report.save', { path: open.value.path, force: true })).toMatchObject({
      ok: false,
      error: { code: 'unknown-file' },
    });
    expect(await app.call('capture.open', { path: otherSave.value.path })).toMatchObject({ ok: false, error: { code: 'unknown-file' } });
    expect(await app.call('report.save', { path: save.value.path, force: true })).toMatchObject({ ok: true, value: { path: target } });
    expect(await readFile(target, 'utf8')).toMatch(/^# /);
    expect(await app.call('report.save', { path: save.value.path, force: true })).toMatchObject({
      ok: false,
      error: { code: 'unknown-file' },
    });
    await app.service.dispose();
  });

  it('answers a cancelled dialog with no handle and no name', async () => {
    const app = desktop();
    expect(await app.call('file.chooseOpen', openRequest)).toEqual({ ok: true, value: { path: null, name: null } });
    expect(await app.call('file.chooseSave', saveRequest)).toEqual({ ok: true, value: { path: null, name: null } });
    await app.service.dispose();
  });

  it('refuses every raw path the renderer names, for reading and writing', async () => {
    const app = desktop();
    const refused = {
      ok: false,
      error: {
        code: 'path-refused',
        message:
          'the desktop app opens and writes only files chosen in its dialogs or dropped on its window: use File > Open capture…, Export report… or drop the file',
      },
    };
    expect(await app.call('capture.open', { path: CAPTURE })).toEqual(refused);
    expect(await app.call('capture.open', { path: '/etc/shadow' })).toEqual(refused);
    expect(await app.call('report.save', { path: join(folder, 'x.md'), force: true })).toEqual(refused);
    expect(await app.call('capture.correlate', { capturePath: CAPTURE, sessionPath: '/etc/hostname' })).toMatchObject({
      ok: false,
      error: { code: 'path-refused' },
    });
    // a made-up handle is no better than a path
    expect(await app.call('capture.open', { path: `${HANDLE_PREFIX}AAAAAAAAAAAAAAAAAAAAAAAA` })).toMatchObject({
      ok: false,
      error: { code: 'unknown-file' },
    });
    await app.service.dispose();
  });
});

describe('the drop channel', () => {
  it('grants a one-time read handle for a dropped file, named as dropped', async () => {
    const app = desktop();
    const dropped = await app.drop(app.own, CAPTURE);
    expect(dropped).toEqual({
      ok: true,
      value: { path: expect.stringMatching(new RegExp(`^${HANDLE_PREFIX}`)), name: 'arkime__websocket.pcap' },
    });
    const handle = (dropped as { value: { path: string } }).value.path;
    expect(await app.call('report.save', { path: handle, force: true })).toMatchObject({ ok: false, error: { code: 'unknown-file' } });
    // the wrong access does not use it up: it still opens once
    expect(await app.call('capture.open', { path: handle })).toMatchObject({ ok: true });
    expect(await app.call('capture.open', { path: handle })).toMatchObject({ ok: false, error: { code: 'unknown-file' } });
    await app.service.dispose();
  });

  it('refuses a File that is not on disk, anything but an absolute path, and other senders', async () => {
    const app = desktop();
    expect(await app.drop(app.own, '')).toMatchObject({ ok: false, error: { code: 'not-on-disk' } });
    for (const value of [
      'relative.pcap',
      '../../etc/shadow',
      42,
      null,
      { path: '/etc/shadow' },
      ['/etc/shadow'],
      '/tmp/a\0.pcap',
      `/${'a'.repeat(5000)}`,
    ]) {
      expect(await app.drop(app.own, value), JSON.stringify(value)).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
    }
    const fromSubframe = { sender: app.win.webContents, senderFrame: { url: 'app://keepalive-lab/index.html' } } as never;
    expect(await app.drop(fromSubframe, CAPTURE)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await app.drop({ sender: {}, senderFrame: {} } as never, CAPTURE)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await app.service.dispose();
  });

  it('is registered and removed with the call channel', async () => {
    const app = desktop();
    const unwire = wireIpc(app.service, app.context);
    expect(recorded.ipcHandlers.has(CALL_CHANNEL) && recorded.ipcHandlers.has(DROP_CHANNEL)).toBe(true);
    unwire();
    expect(recorded.ipcHandlers.has(CALL_CHANNEL) || recorded.ipcHandlers.has(DROP_CHANNEL)).toBe(false);
    await app.service.dispose();
  });
});

describe('grants held at once', () => {
  it('keeps at most MAX_GRANTS handles: a page asking again and again for a File it kept pushes out the oldest, not memory', () => {
    const files = new FileGrants();
    const first = files.grant('/home/learner/first.pcap', 'read');
    const second = files.grant('/home/learner/second.pcap', 'read');
    for (let index = 2; index < MAX_GRANTS; index++) files.grant(`/home/learner/${index}.pcap`, 'read');
    // full: both still there
    expect(files.take(first, 'read')).toBe('/home/learner/first.pcap');
    files.grant('/home/learner/again-1.pcap', 'read');
    files.grant('/home/learner/again-2.pcap', 'read');
    // one over the cap: the oldest left (second, since first was used)
    expect(files.take(second, 'read')).toBeNull();
    const last = files.grant('/home/learner/last.pcap', 'read');
    expect(files.take(last, 'read')).toBe('/home/learner/last.pcap');
  });
});
