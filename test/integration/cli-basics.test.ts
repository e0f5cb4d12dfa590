import { describe, expect, it } from 'vitest';
import { InfoSchema } from '@shared/api';
import { runCliProcess } from '../helpers/cli';

const cli = (args: string[]) => runCliProcess(args, 30_000);

describe('keepalive-lab CLI', () => {
  it('info --json prints valid JSON that matches the contract, with the kernel defaults', async () => {
    const { code, stdout } = await cli(['info', '--json']);
    expect(code).toBe(0);
    const info = InfoSchema.parse(JSON.parse(stdout));
    expect(info.mode).toBe('cli');
    expect(info.nodeVersion).toBe(process.versions.node);
    if (process.platform === 'linux') expect(info.keepaliveDefaults.timeS).toBeGreaterThan(0);
  });

  it('--help lists the commands and --version prints the package version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: keepalive-lab <command>/);
    expect(help.stdout).toMatch(/serve/);
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown command or flag is one clear line on stderr and exit 1, never a stack trace', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const badFlag = await cli(['info', '--nope']);
    expect(badFlag.code).toBe(1);
    expect(badFlag.stderr).toMatch(/keepalive-lab info: .*--nope/);
    expect(badFlag.stderr).not.toMatch(/\n\s+at /);
  });
});
