/** Messages between the test (parent) and the booted main bundle's electron stand-in (child process). */

/** Parent → child: do what Electron would do (a protocol request, an IPC invoke, a menu click…). */
export interface StandInCommand {
  type: 'command';
  id: number;
  method: string;
  args: unknown;
}

/** Child → parent: a question a person answers (a dialog). */
export interface StandInAsk {
  type: 'ask';
  id: number;
  question: 'open-dialog' | 'save-dialog' | 'message-box';
  payload: unknown;
}

export type StandInMessage =
  | StandInAsk
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'event'; name: 'webContents.send' | 'window-loaded' | 'app-quit'; payload: unknown };
