/** App lifecycle: single instance, one window, the service wired to IPC, clean shutdown. */
import { join } from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { createService } from '../service';
import { sendEvent, wireIpc } from './ipc';
import { installMenu } from './menu';
import { createMainWindow } from './window';

export function startApp(dirname: string): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let win: BrowserWindow | null = null;
  const getWindow = () => win;
  const service = createService({ mode: 'electron', dataDir: join(app.getPath('userData'), 'data') });
  const unwire = wireIpc(service, getWindow);

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
    installMenu(getWindow, sendEvent);
    win = createMainWindow({
      devUrl: process.env['ELECTRON_RENDERER_URL'] ?? null,
      indexHtml: join(dirname, '../renderer/index.html'),
      preload: join(dirname, '../preload/index.cjs'),
    });
    win.on('closed', () => {
      win = null;
    });
  });
}
