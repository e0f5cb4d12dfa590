/** The leak check itself must see a leak: otherwise every "nothing leaks" assertion would be vacuous. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { leakedSince, snapshotResources } from './helpers/leak-check';

describe('leakedSince', () => {
  it('reports a listening socket, a connection and a timer left behind, and nothing once they are gone', async () => {
    const before = await snapshotResources();
    const server = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    // five: the runner's own timers come and go meanwhile, and the check counts, it does not track identities
    const timers = Array.from({ length: 5 }, () => setTimeout(() => undefined, 60_000));

    const leaked = await leakedSince(before, 100);
    expect(leaked.fds).toBeGreaterThanOrEqual(3);
    expect(leaked.TCPServerWrap).toBe(1);
    expect(leaked.TCPSocketWrap).toBeGreaterThanOrEqual(1);
    expect(leaked.Timeout).toBeGreaterThanOrEqual(3);

    for (const timer of timers) clearTimeout(timer);
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await leakedSince(before)).toEqual({});
  });
});
