/** App lifecycle: single instance, one window, the service wired to IPC, clean shutdown. */
import { join } from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createService } from '../engine/service';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createFileDialogs } from './dialogs';
import { sendEvent, wireIpc } from './ipc';
import { installMenu } from './menu';
import { createMainWindow } from './window';

/** `dirname` is the folder of the built main bundle (out/main): the renderer and preload sit beside it. */
export function startApp(dirname: string): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // before `ready`, or Electron refuses: app:// must be a standard, secure scheme
  registerAppScheme();
  let win: BrowserWindow | null = null;
  const getWindow = () => win;
  // set by `electron-vite dev` only; an empty value means none
  const devUrl = process.env['ELECTRON_RENDERER_URL'] || null;
  // the engine takes no path from the renderer: only handles for files the user chose or dropped (ipc.ts)
  const service = createService({ mode: 'electron', paths: 'granted', dataDir: join(app.getPath('userData'), 'data') });
  const dialogs = createFileDialogs(() => {
    try {
      return app.getPath('documents');
    } catch {
      return null;
    }
  });
  const unwire = wireIpc(service, { getWindow, dialogs, devUrl });

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    unwire();
    void service.dispose();
  });

  void app.whenReady().then(() => {
    handleAppProtocol(join(dirname, '../renderer'));
    installMenu(getWindow, sendEvent);
    win = createMainWindow({ devUrl, preload: join(dirname, '../preload/index.cjs') });
    win.on('closed', () => {
      win = null;
    });
  });
}
