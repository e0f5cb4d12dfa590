/**
 * `keepalive-lab http --max-sockets N` and `--connections N`: each client's cap on connections to one
 * origin, set from the CLI as the app's form sets it (agent.maxSockets, undici.connections). Real runs
 * against the embedded server in a child process, as a user types them.
 */
import { describe, expect, it } from 'vitest';
import { runCliProcess } from '../helpers/cli';

const cli = (args: string[]) => runCliProcess(args, 60_000);

interface RunJson {
  config: {
    client: string;
    agent: { keepAlive: boolean; maxSockets: number | null };
    undici: { connections: number | null };
    server: { headersDelayMs: number };
  };
  connectionsOpened: number;
  requests: Array<{ index: number; status: number | null; waitedForPool?: { ms: number } }>;
}

async function runJson(args: string[]): Promise<RunJson> {
  const outcome = await cli(['http', ...args, '--json']);
  expect(outcome.code, outcome.stderr).toBe(0);
  return JSON.parse(outcome.stdout) as RunJson;
}

const waited = (run: RunJson) => run.requests.filter((request) => request.waitedForPool !== undefined).map((request) => request.index);

describe('keepalive-lab http: the connection cap flags', () => {
  it('--max-sockets 2: 12 requests 6 at a time over 2 connections; in each round of 6, 4 wait for one to come free', async () => {
    const run = await runJson(['--requests', '12', '--concurrency', '6', '--max-sockets', '2']);
    expect(run.config.agent.maxSockets).toBe(2);
    expect(run.connectionsOpened).toBe(2);
    expect(run.requests.every((request) => request.status === 200)).toBe(true);
    expect(waited(run)).toEqual([3, 4, 5, 6, 9, 10, 11, 12]);
    const text = await cli(['http', '--requests', '12', '--concurrency', '6', '--max-sockets', '2']);
    expect(text.stdout).toMatch(/requests that waited: 8 for a free connection \(both were busy\)/);
  });

  it('--client undici --connections 1: 8 requests 4 at a time over 1 connection, 6 of them wait', async () => {
    const run = await runJson(['--client', 'undici', '--requests', '8', '--concurrency', '4', '--connections', '1']);
    expect(run.config.undici.connections).toBe(1);
    expect(run.connectionsOpened).toBe(1);
    expect(waited(run)).toHaveLength(6);
  });

  it('a flag changes only its own setting: a preset keeps its others, --keepalive off keeps the cap', async () => {
    const preset = await runJson(['--preset', 'queued-above-max-sockets', '--max-sockets', '3']);
    expect(preset.config.agent.maxSockets).toBe(3);
    expect(preset.config.server.headersDelayMs).toBe(50);
    expect(preset.connectionsOpened).toBe(3);
    const off = await runJson(['--requests', '4', '--concurrency', '4', '--keepalive', 'off', '--max-sockets', '2']);
    expect(off.config.agent).toMatchObject({ keepAlive: false, maxSockets: 2 });
  });

  it('none lifts a preset’s cap; a cap for the client the run did not use is named as changing nothing', async () => {
    const lifted = await runJson(['--preset', 'queued-above-max-sockets', '--max-sockets', 'none']);
    expect(lifted.config.agent.maxSockets).toBeNull();
    expect(lifted.connectionsOpened).toBe(6);
    expect(waited(lifted)).toEqual([]);
    const other = await cli(['http', '--requests', '2', '--connections', '2']);
    expect(other.code).toBe(0);
    expect(other.stderr).toContain(
      "note: --connections is undici's cap and this run's client was Node's http.Agent (its cap is --max-sockets): it changed nothing",
    );
    const undici = await cli(['http', '--client', 'undici', '--requests', '2', '--max-sockets', '2']);
    expect(undici.stderr).toContain("note: --max-sockets is Node's http.Agent's cap and this run's client was undici");
    const used = await cli(['http', '--requests', '2', '--max-sockets', '2']);
    expect(used.stderr).not.toContain('changed nothing');
  });

  it('a cap out of range is one line naming the flag and its bounds; --help lists both flags', async () => {
    const zero = await cli(['http', '--max-sockets', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr.trim()).toBe('keepalive-lab http: --max-sockets must be an integer from 1 to 10000 or none (got "0")');
    const word = await cli(['http', '--connections', 'many']);
    expect(word.stderr.trim()).toBe('keepalive-lab http: --connections must be an integer from 1 to 10000 or none (got "many")');
    const help = await cli(['http', '--help']);
    expect(help.stdout).toMatch(/--max-sockets N\s+integer 1–10000 or none, default none/);
    expect(help.stdout).toMatch(/--connections N\s+integer 1–10000 or none, default none/);
  });
});
