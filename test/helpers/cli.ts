/** Runs the CLI as a user does: the real bin in a child process, or one command in this process with a captured io. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { CliError, type CliIo } from '../../src/cli/io';

const execFileAsync = promisify(execFile);
const bin = resolve(import.meta.dirname, '../../bin/keepalive-lab.mjs');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `keepalive-lab ARGS` in a child process; its exit code and output, whatever the code. */
export async function runCliProcess(args: string[], timeoutMs = 60_000): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [bin, ...args], { timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** One command in this process; a thrown CliError becomes what src/cli/main.ts prints: one line, no stack. */
export async function runCliCommand(command: (argv: string[], io: CliIo) => Promise<number>, argv: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), signal: new AbortController().signal };
  try {
    return { code: await command(argv, io), stdout, stderr };
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return { code: (error as CliError).exitCode, stdout, stderr: `${(error as Error).message}\n` };
  }
}
