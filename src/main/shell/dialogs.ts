/**
 * The native open and save dialogs behind `file.chooseOpen` / `file.chooseSave`.
 * The paths the engine reads and writes in the desktop app come from here (and
 * from a dropped file, preload/index.ts): `chooseOpen` returns the file the user
 * picked, `chooseSave` the name the user typed, completed as below; ipc.ts turns
 * each into a one-time handle before the page sees it.
 *
 * Save dialogs start in the folder used last (this run), else Documents. Linux
 * save dialogs do not add an extension from the filter, so a name typed
 * without one gets the first allowed extension (the format the user chose); a
 * completed name that already exists is confirmed before it is replaced, since
 * the dialog only asked about the name as typed.
 */
import { access } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { dialog, type BrowserWindow, type FileFilter } from 'electron';

export interface OpenRequest {
  title: string;
  extensions: string[];
}
export interface SaveRequest extends OpenRequest {
  suggestedName: string;
}

export interface FileDialogs {
  chooseOpen(win: BrowserWindow, request: OpenRequest): Promise<string | null>;
  chooseSave(win: BrowserWindow, request: SaveRequest): Promise<string | null>;
}

/** `name` with `.extension` added when its last part has none ("report" → "report.html"; "report.md" stays). */
export function withDefaultExtension(path: string, extension: string | undefined): string {
  if (!extension || extname(basename(path)) !== '') return path;
  return `${path}.${extension}`;
}

function filtersFor(extensions: string[]): FileFilter[] {
  if (extensions.length === 0) return [{ name: 'All files', extensions: ['*'] }];
  return [{ name: extensions.map((extension) => `*.${extension}`).join(' '), extensions }];
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** `documentsFolder` is asked lazily: app.getPath('documents') may throw where the OS has none. */
export function createFileDialogs(documentsFolder: () => string | null): FileDialogs {
  let lastOpenFolder: string | null = null;
  let lastSaveFolder: string | null = null;

  return {
    async chooseOpen(win, request) {
      const result = await dialog.showOpenDialog(win, {
        title: request.title,
        filters: filtersFor(request.extensions),
        properties: ['openFile'],
        ...(lastOpenFolder ? { defaultPath: lastOpenFolder } : {}),
      });
      const path = result.canceled ? null : (result.filePaths[0] ?? null);
      if (path) lastOpenFolder = dirname(path);
      return path;
    },

    async chooseSave(win, request) {
      const folder = lastSaveFolder ?? documentsFolder();
      const name = basename(request.suggestedName);
      const result = await dialog.showSaveDialog(win, {
        title: request.title,
        defaultPath: folder ? join(folder, name) : name,
        filters: filtersFor(request.extensions),
        properties: ['showOverwriteConfirmation', 'createDirectory'],
      });
      if (result.canceled || !result.filePath) return null;
      const path = withDefaultExtension(result.filePath, request.extensions[0]);
      if (path !== result.filePath && (await exists(path))) {
        const answer = await dialog.showMessageBox(win, {
          type: 'question',
          buttons: ['Replace', 'Cancel'],
          defaultId: 1,
          cancelId: 1,
          message: `“${basename(path)}” already exists. Replace it?`,
          detail: `The name had no extension, so .${request.extensions[0]} was added for the chosen format.`,
        });
        if (answer.response !== 0) return null;
      }
      lastSaveFolder = dirname(path);
      return path;
    },
  };
}
