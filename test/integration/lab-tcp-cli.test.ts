import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTcpCommand } from '../../src/cli/commands/tcp';
import { CliError, type CliIo } from '../../src/cli/io';
import { MuxClient } from '@engine/lab/mux-client';
import { countOpenFds, settledFdCount } from './helpers/fd-count';

let fdsBefore = 0;
beforeEach(async () => {
  fdsBefore = await countOpenFds();
});
afterEach(async () => {
  expect(await settledFdCount(fdsBefore)).toBeLessThanOrEqual(fdsBefore);
});

function io(): CliIo & { out: string[]; controller: AbortController } {
  const out: string[] = [];
  const controller = new AbortController();
  return { out, controller, stdout: (text) => out.push(text), stderr: () => undefined, signal: controller.signal };
}

async function listeningPort(out: string[], prefix: string): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const match = new RegExp(`${prefix} listening on 127\\.0\\.0\\.1:(\\d+)`).exec(out.join(''));
    if (match) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`no "${prefix} listening" line in ${JSON.stringify(out)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('tcp echo and tcp proxy from the CLI', () => {
  it('tcp echo serves until Ctrl-C, then prints its stats', async () => {
    const cli = io();
    const running = runTcpCommand(['echo', '--port', '0'], cli);
    const port = await listeningPort(cli.out, 'echo server');
    const client = await MuxClient.connect({ host: '127.0.0.1', port });
    await expect(client.send('cli')).resolves.toMatchObject({ val: 'server: hello, cli' });
    await client.close('fin');
    cli.controller.abort();
    expect(await running).toBe(0);
    expect(JSON.parse(cli.out.at(-1) ?? '{}')).toMatchObject({ requests: 1, responses: 1 });
  });

  it('tcp proxy forwards to its embedded upstream and reports bytes on exit', async () => {
    const cli = io();
    const running = runTcpCommand(['proxy', '--listen', '0', '--pool', '2'], cli);
    const port = await listeningPort(cli.out, 'proxy');
    const client = await MuxClient.connect({ host: '127.0.0.1', port });
    await expect(client.send('via proxy')).resolves.toMatchObject({ val: 'server: hello, via proxy' });
    await client.close('fin');
    // no pause before the stop: it counts the exchange whether or not the proxy has seen the FIN yet
    cli.controller.abort();
    expect(await running).toBe(0);
    const stats = JSON.parse(cli.out.at(-1) ?? '{}') as { accepted: number; bytesUp: number; bytesDown: number };
    expect(stats.accepted).toBe(1);
    expect(stats.bytesUp).toBeGreaterThan(0);
    expect(stats.bytesDown).toBeGreaterThan(stats.bytesUp);
  });

  it('a target that refuses is one clear CLI error, not a stack trace', async () => {
    const error = await runTcpCommand(['mux', '--requests', '1', '--concurrency', '1', '--target', '127.0.0.1:1'], io()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(/^tcp mux: connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });
});
