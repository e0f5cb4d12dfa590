/** The native menu: File > Open capture…, Export report…, Quit; the usual Edit/View/Help. */
import { Menu, app, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { EngineEvent } from '@shared/api';

export function buildMenuTemplate(send: (event: EngineEvent) => void, isMac: boolean): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Open capture…', accelerator: 'CmdOrCtrl+O', click: () => send({ kind: 'menu-invoked', command: 'open-capture' }) },
      { label: 'Export report…', accelerator: 'CmdOrCtrl+E', click: () => send({ kind: 'menu-invoked', command: 'export-report' }) },
      { type: 'separator' },
      { label: 'Quit', accelerator: 'CmdOrCtrl+Q', role: 'quit' },
    ],
  };
  return [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    file,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
  ];
}

export function installMenu(getWindow: () => BrowserWindow | null, send: (win: BrowserWindow | null, event: EngineEvent) => void): void {
  const template = buildMenuTemplate((event) => send(getWindow(), event), process.platform === 'darwin');
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  app.setAboutPanelOptions?.({ applicationName: 'Keepalive Lab' });
}
