/**
 * The stand-in's journal (what the app asked of Electron) and its channel to the
 * test (the child-process IPC channel): results of commands, questions a person
 * answers (dialogs), and events for the window's page.
 */
import type { StandInAsk, StandInCommand, StandInMessage } from './protocol';

/** One thing the app asked of Electron. */
export interface JournalEntry {
  api: string;
  args: unknown[];
}

export const journal: JournalEntry[] = [];

/** Stand-in objects name themselves in the journal (a window, a webContents). */
export interface JournalName {
  journalName(): string;
}

/** A JSON-safe copy for the journal: functions and stand-in objects become their names. */
export function plain(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (value && typeof value === 'object' && 'journalName' in value) return (value as JournalName).journalName();
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((item) => plain(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item, depth + 1)]));
}

export function record(api: string, ...args: unknown[]): void {
  journal.push({ api, args: args.map((arg) => plain(arg)) });
}

// ---- the channel to the test -------------------------------------------------------------

const waiting = new Map<number, (value: unknown) => void>();
let nextAskId = 1;

export function send(message: StandInMessage): void {
  process.send?.(message);
}

/** Asks the test something only a person would answer (a dialog). */
export function ask(question: StandInAsk['question'], payload: unknown): Promise<unknown> {
  const id = nextAskId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    send({ type: 'ask', id, question, payload: plain(payload) });
  });
}

let runCommand: (command: StandInCommand) => Promise<unknown> = () => Promise.reject(new Error('no command runner'));

/** The commands module registers how commands run (commands.ts). */
export function onCommand(runner: (command: StandInCommand) => Promise<unknown>): void {
  runCommand = runner;
}

process.on('message', (message: StandInCommand | { type: 'answer'; id: number; value: unknown }) => {
  if (message.type === 'answer') {
    waiting.get(message.id)?.(message.value);
    waiting.delete(message.id);
    return;
  }
  void runCommand(message).then(
    (value) => send({ type: 'result', id: message.id, ok: true, value }),
    (error: Error) => send({ type: 'result', id: message.id, ok: false, error: error.message }),
  );
});
