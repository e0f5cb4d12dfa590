/**
 * The save dialog's start folder and the name it returns: Documents first, then
 * the folder used last; a name typed without an extension gets the chosen
 * format's; a completed name that exists is confirmed before it is replaced.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const answers = {
  open: [] as Array<{ canceled: boolean; filePaths: string[] }>,
  save: [] as Array<{ canceled: boolean; filePath?: string }>,
  message: [] as Array<{ response: number }>,
};
const asked = { open: [] as unknown[], save: [] as Array<{ defaultPath?: string }>, message: [] as Array<{ message: string }> };

vi.mock('electron', () => ({
  dialog: {
    showOpenDialog: (_win: unknown, options: unknown) => (asked.open.push(options), Promise.resolve(answers.open.shift())),
    showSaveDialog: (_win: unknown, options: { defaultPath?: string }) => (asked.save.push(options), Promise.resolve(answers.save.shift())),
    showMessageBox: (_win: unknown, options: { message: string }) => (
      asked.message.push(options),
      Promise.resolve(answers.message.shift())
    ),
  },
}));

const { createFileDialogs, withDefaultExtension } = await import('../../../../src/main/shell/dialogs');

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kl-dialogs-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));
beforeEach(() => {
  asked.open.length = asked.save.length = asked.message.length = 0;
});

const win = {} as never;
const request = { title: 'Export report', suggestedName: 'keepalive-lab-2026-12-04.md', extensions: ['md'] };

describe('withDefaultExtension', () => {
  it('adds the extension only to a last part without one', () => {
    expect(withDefaultExtension('/home/a/report', 'html')).toBe('/home/a/report.html');
    expect(withDefaultExtension('/home/a.b/report', 'md')).toBe('/home/a.b/report.md');
    expect(withDefaultExtension('/home/a/report.md', 'html')).toBe('/home/a/report.md');
    expect(withDefaultExtension('/home/a/report', undefined)).toBe('/home/a/report');
  });
});

describe('file dialogs', () => {
  it('starts in Documents, then in the folder saved to last; a bare name gets the chosen extension', async () => {
    const dialogs = createFileDialogs(() => '/home/learner/Documents');
    answers.save.push({ canceled: false, filePath: join(folder, 'report') });
    expect(await dialogs.chooseSave(win, request)).toBe(join(folder, 'report.md'));
    expect(asked.save[0]?.defaultPath).toBe('/home/learner/Documents/keepalive-lab-2026-12-04.md');
    answers.save.push({ canceled: true });
    expect(await dialogs.chooseSave(win, request)).toBeNull();
    expect(asked.save[1]?.defaultPath).toBe(join(folder, 'keepalive-lab-2026-12-04.md'));
    expect(asked.message).toEqual([]);
  });

  it('keeps a name whose extension differs from the chosen format (the Reports view says the name wins)', async () => {
    const dialogs = createFileDialogs(() => null);
    answers.save.push({ canceled: false, filePath: join(folder, 'notes.html') });
    expect(await dialogs.chooseSave(win, request)).toBe(join(folder, 'notes.html'));
    expect(asked.save[0]?.defaultPath).toBe('keepalive-lab-2026-12-04.md');
  });

  it('asks before replacing a file the completed name points at; Cancel returns no path', async () => {
    await writeFile(join(folder, 'taken.md'), 'old');
    const dialogs = createFileDialogs(() => folder);
    answers.save.push({ canceled: false, filePath: join(folder, 'taken') });
    answers.message.push({ response: 1 });
    expect(await dialogs.chooseSave(win, request)).toBeNull();
    expect(asked.message[0]?.message).toBe('“taken.md” already exists. Replace it?');
    answers.save.push({ canceled: false, filePath: join(folder, 'taken') });
    answers.message.push({ response: 0 });
    expect(await dialogs.chooseSave(win, request)).toBe(join(folder, 'taken.md'));
  });

  it('opens one file and remembers its folder for the next open', async () => {
    const dialogs = createFileDialogs(() => null);
    answers.open.push({ canceled: false, filePaths: ['/captures/a.pcap'] }, { canceled: true, filePaths: [] });
    expect(await dialogs.chooseOpen(win, { title: 'Open capture', extensions: ['pcap'] })).toBe('/captures/a.pcap');
    expect(await dialogs.chooseOpen(win, { title: 'Open capture', extensions: ['pcap'] })).toBeNull();
    expect(asked.open).toEqual([
      { title: 'Open capture', filters: [{ name: '*.pcap', extensions: ['pcap'] }], properties: ['openFile'] },
      { title: 'Open capture', filters: [{ name: '*.pcap', extensions: ['pcap'] }], properties: ['openFile'], defaultPath: '/captures' },
    ]);
  });
});
