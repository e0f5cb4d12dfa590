/**
 * Boots the built main bundle (out/main/index.js) in a child Node process with
 * `electron` resolved to the recorded stand-in (stand-in/hooks.mjs), and gives
 * the test its side of the channel: commands (what Electron would do), the
 * dialogs the app opens (answered here, as a person would), and the events the
 * app sends to its window.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../../e2e/helpers/browser';
import type { JournalEntry } from '../stand-in/electron-main';
import type { StandInAsk, StandInCommand, StandInMessage } from '../stand-in/protocol';

export type DialogKind = StandInAsk['question'];

export interface AskedDialog {
  kind: DialogKind;
  options: Record<string, unknown>;
}

export type DialogAnswer = (options: Record<string, unknown>) => unknown;

export interface WindowLoad {
  windowId: number;
  url: string;
  options: { webPreferences: Record<string, unknown> } & Record<string, unknown>;
}

export interface DesktopMain {
  readonly child: ChildProcess;
  /** every dialog the app opened, in order */
  readonly dialogs: AskedDialog[];
  /** the next dialog of `kind` gets this answer; a dialog nobody expected is cancelled and fails the test's count */
  answerNext(kind: DialogKind, answer: DialogAnswer): void;
  command<T = unknown>(method: string, args?: unknown): Promise<T>;
  journal(): Promise<JournalEntry[]>;
  onSend(listener: (channel: string, args: unknown[]) => void): void;
  /** resolves with the first window's loadURL */
  readonly windowLoaded: Promise<WindowLoad>;
  readonly output: { stdout: string; stderr: string };
  stop(): Promise<void>;
}

const CANCEL: Record<DialogKind, unknown> = {
  'open-dialog': { canceled: true, filePaths: [] },
  'save-dialog': { canceled: true, filePath: '' },
  'message-box': { response: 1, checkboxChecked: false },
};

export function bootMain(home: string): DesktopMain {
  const child = fork(join(repoRoot, 'out/main/index.js'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', '--import', join(import.meta.dirname, '../stand-in/register.mjs')],
    // the built app: no dev server URL
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'ELECTRON_RENDERER_URL')), KL_DESKTOP_HOME: home },
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));

  const dialogs: AskedDialog[] = [];
  const answers: Array<{ kind: DialogKind; answer: DialogAnswer }> = [];
  const results = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const sendListeners: Array<(channel: string, args: unknown[]) => void> = [];
  let nextId = 1;
  let onLoaded: (load: WindowLoad) => void = () => undefined;
  const windowLoaded = new Promise<WindowLoad>((resolve, reject) => {
    onLoaded = resolve;
    child.once('exit', (code) => reject(new Error(`main exited (${code}) before loading a window: ${output.stderr}`)));
  });

  child.on('message', (message: StandInMessage) => {
    if (message.type === 'result') {
      const waiting = results.get(message.id);
      results.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.error));
    } else if (message.type === 'ask') {
      const options = message.payload as Record<string, unknown>;
      dialogs.push({ kind: message.question, options });
      const index = answers.findIndex((entry) => entry.kind === message.question);
      const value = index >= 0 ? answers.splice(index, 1)[0]!.answer(options) : CANCEL[message.question];
      child.send({ type: 'answer', id: message.id, value });
    } else if (message.name === 'window-loaded') {
      onLoaded(message.payload as WindowLoad);
    } else if (message.name === 'webContents.send') {
      const { channel, args } = message.payload as { channel: string; args: unknown[] };
      for (const listener of sendListeners) listener(channel, args);
    }
  });

  function command<T>(method: string, args: unknown = {}): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      results.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ type: 'command', id, method, args } satisfies StandInCommand);
    });
  }

  return {
    child,
    dialogs,
    answerNext: (kind, answer) => answers.push({ kind, answer }),
    command,
    journal: () => command<JournalEntry[]>('journal'),
    onSend: (listener) => sendListeners.push(listener),
    windowLoaded,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
