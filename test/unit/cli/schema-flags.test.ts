/** CLI flags derived from the contract's params schemas: the CLI accepts exactly what the engine accepts. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methods } from '@shared/api';
import { CliError } from '../../../src/cli/io';
import { flagsHelp, parseSchemaFlags, schemaFlags } from '../../../src/cli/schema-flags';

const poolParams = methods['tcp.runPool'].params;
const poolFlags = schemaFlags(poolParams, ['size', 'requests', 'concurrency', 'timeoutMs', 'target']);
const keepaliveFlags = schemaFlags(methods['tcp.runKeepalive'].params, ['idleS', 'holdS', 'close']);

describe('schemaFlags', () => {
  it('names flags in kebab-case and takes kind, bounds, default and required from the schema', () => {
    expect(poolFlags.map((flag) => flag.flag)).toEqual(['size', 'requests', 'concurrency', 'timeout-ms', 'target']);
    expect(poolFlags[0]).toMatchObject({ key: 'size', required: true, kind: { type: 'number', integer: true, min: 1, max: 1000 } });
    expect(poolFlags[3]).toMatchObject({ key: 'timeoutMs', required: false, kind: { type: 'number', min: 0, max: 600_000 } });
    expect(poolFlags[4]?.kind).toEqual({ type: 'target' });
    expect(keepaliveFlags[1]?.kind).toMatchObject({ type: 'number', integer: false, min: 0, max: 3600 });
    expect(keepaliveFlags[2]).toMatchObject({ kind: { type: 'enum', values: ['fin', 'rst'] }, defaultValue: 'fin', required: false });
    expect(schemaFlags(methods['tcp.startProxy'].params, [['listenPort', 'listen']])[0]).toMatchObject({
      key: 'listenPort',
      flag: 'listen',
    });
  });

  it('a nullable setting takes the word none for null, says so in its help, and is optional only when the schema gives a default', () => {
    const nullable = z.object({
      cap: z.number().int().min(1).max(9).nullable().default(null),
      must: z.number().int().min(1).max(9).nullable(),
    });
    const flags = schemaFlags(nullable, ['cap', 'must']);
    expect(flags[0]).toMatchObject({
      key: 'cap',
      nullable: true,
      required: false,
      defaultValue: null,
      kind: { type: 'number', min: 1, max: 9 },
    });
    expect(flags[1]).toMatchObject({ key: 'must', nullable: true, required: true });
    expect(flagsHelp(flags)).toMatch(/--cap N\s+integer 1–9 or none, default none\n/);
    expect(flagsHelp(flags)).toMatch(/--must N\s+integer 1–9 or none, required\n/);
    const parse = (argv: string[]) => parseSchemaFlags(argv, flags, {}, 'x --help').params;
    expect(parse(['--cap', 'none', '--must', '3'])).toEqual({ cap: null, must: 3 });
    expect(() => parse(['--cap', '0', '--must', '3'])).toThrow('--cap must be an integer from 1 to 9 or none (got "0")');
    expect(() => parse(['--cap', '2'])).toThrow('--must is required (see x --help)');
    // a flag whose schema takes no null does not take the word either
    expect(() => parseSchemaFlags(['--size', 'none'], poolFlags.slice(0, 1), {}, 'x').params).toThrow(
      '--size must be an integer from 1 to 1000 (got "none")',
    );
  });

  it('prints each flag with what it takes and its default or that it is required', () => {
    const help = flagsHelp(keepaliveFlags);
    expect(help).toContain('--idle-s N');
    expect(help).toMatch(/--idle-s N\s+integer 1–7200, required/);
    expect(help).toMatch(/--close WORD\s+fin \| rst, default fin/);
  });
});

describe('parseSchemaFlags', () => {
  const parse = (argv: string[]) => parseSchemaFlags(argv, poolFlags, { json: { type: 'boolean' } }, 'tcp --help');

  it('turns flags into params of the right type, and passes the other flags through', () => {
    const { params, values } = parse(['--size', '3', '--requests', '50', '--concurrency', '6', '--target', '[::1]:8080', '--json']);
    expect(params).toEqual({ size: 3, requests: 50, concurrency: 6, target: { host: '::1', port: 8080 } });
    expect(values.json).toBe(true);
  });

  it('refuses a value the schema refuses, naming the flag and the bounds, before anything runs', () => {
    expect(() => parse(['--size', '0', '--requests', '1', '--concurrency', '1'])).toThrow(
      '--size must be an integer from 1 to 1000 (got "0")',
    );
    expect(() => parse(['--size', '2.5', '--requests', '1', '--concurrency', '1'])).toThrow(/--size must be an integer/);
    expect(() => parse(['--size', '2', '--requests', '1'])).toThrow('--concurrency is required (see tcp --help)');
    expect(() => parse(['--size', '2', '--requests', '1', '--concurrency', '1', '--target', 'nohost'])).toThrow(
      /--target must be host:port/,
    );
    expect(() => parse(['--bogus'])).toThrow(CliError);
  });

  it('agrees with the engine at every bound: the largest value passes both, one more fails both', () => {
    for (const flag of poolFlags) {
      if (flag.kind.type !== 'number' || flag.kind.max === null || flag.kind.min === null) continue;
      const base = { size: 1, requests: 1, concurrency: 1 };
      for (const [value, ok] of [
        [flag.kind.max, true],
        [flag.kind.max + 1, false],
        [flag.kind.min, true],
        [flag.kind.min - 1, false],
      ] as const) {
        const argv = Object.entries({ ...base, [flag.key]: value }).flatMap(([key, v]) => [
          `--${poolFlags.find((f) => f.key === key)?.flag}`,
          String(v),
        ]);
        const cli = (() => {
          try {
            return parse(argv).params;
          } catch {
            return null;
          }
        })();
        expect(cli !== null, `${flag.flag} ${value} on the CLI`).toBe(ok);
        expect(poolParams.safeParse({ ...base, [flag.key]: value }).success, `${flag.key} ${value} in the schema`).toBe(ok);
      }
    }
  });
});
