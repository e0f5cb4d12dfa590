/**
 * Every method of the contract is schema-checked at both edges: Electron IPC (createCallHandler)
 * and the web-mode socket protocol (handleSocketMessage). For EVERY name in `methods`, malformed
 * payloads must come back as a clear `invalid-params` error naming the method, never run the
 * method, never throw, and never pollute prototypes. (Window, CSP, navigation: shell.test.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, fakeElectron } from './fake-electron';

vi.mock('electron', () => fakeElectron());

const { createMainWindow } = await import('../../../../src/main/shell/window');
const { createCallHandler } = await import('../../../../src/main/shell/ipc');
const { createFileDialogs } = await import('../../../../src/main/shell/dialogs');
const { createService } = await import('@engine/service');
const { handleSocketMessage } = await import('../../../../src/main/web/socket-protocol');
const { methodNames } = await import('@shared/api');

type Service = ReturnType<typeof createService>;

/** Payloads no method accepts: wrong JSON types, an unknown key (every params schema is strict), a prototype-pollution attempt. */
const MALFORMED: { label: string; params: unknown }[] = [
  { label: 'a number', params: 42 },
  { label: 'a string', params: 'capture.pcap' },
  { label: 'an array', params: [1, 2] },
  { label: 'a boolean', params: true },
  { label: 'an unknown key', params: { unexpectedKey: 'x'.repeat(10_000) } },
  { label: 'a __proto__ key', params: JSON.parse('{"__proto__": {"polluted": true}}') as unknown },
];

let dataDir: string;
let service: Service;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'kl-security-'));
  service = createService({ mode: 'electron', dataDir });
});
afterAll(async () => {
  await service.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

function expectInvalidParams(result: unknown, name: string): void {
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid-params' } });
  const message = (result as { error: { message: string } }).error.message;
  expect(message).toContain(name);
  // one clear line, no stack trace
  expect(message).not.toMatch(/\n\s+at /);
}

describe('every IPC method rejects malformed params', () => {
  const win = () => createMainWindow({ devUrl: null, preload: '/p.cjs' }) as unknown as FakeBrowserWindow;

  it.each(methodNames)('%s', async (name) => {
    const window = win();
    const handler = createCallHandler(service, { getWindow: () => window as never, dialogs: createFileDialogs(() => null), devUrl: null });
    const ownEvent = { sender: window.webContents, senderFrame: window.webContents.mainFrame } as never;
    for (const { label, params } of MALFORMED) {
      const result = await handler(ownEvent, name, params);
      expectInvalidParams(result, name);
      expect(({} as Record<string, unknown>).polluted, `${name} with ${label}`).toBeUndefined();
    }
  });
});

describe('every web-mode message rejects malformed params', () => {
  async function callOverSocket(message: string): Promise<{ id: number | null; result: unknown }> {
    let reply = '';
    await handleSocketMessage(service, message, (text) => (reply = text));
    return JSON.parse(reply) as { id: number | null; result: unknown };
  }

  it.each(methodNames)('%s', async (name) => {
    for (const [index, { params }] of MALFORMED.entries()) {
      const reply = await callOverSocket(JSON.stringify({ id: index, method: name, params }));
      expect(reply.id).toBe(index);
      expectInvalidParams(reply.result, name);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects envelopes that are not the protocol, keeping the id when there is one', async () => {
    for (const message of [
      'not json',
      '[]',
      '{"id":-1,"method":"app.getInfo"}',
      '{"id":1,"method":"app.getInfo","extra":1}',
      `{"id":2,"method":"${'x'.repeat(200)}"}`,
    ]) {
      const reply = await callOverSocket(message);
      expect(reply.result).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    }
    expect((await callOverSocket('{"id":3,"method":"no.such","params":{}}')).result).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
  });
});

describe('the window, as electronegativity reads it', () => {
  it('disables middle-click (Auxclick) and spells out isolation and sandbox in the BrowserWindow call itself', () => {
    const window = createMainWindow({ devUrl: null, preload: '/p.cjs' }) as unknown as FakeBrowserWindow;
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });
});
