/** Small helpers over node:util parseArgs that turn bad flags into one clear CliError line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './io';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

/** Parses an integer flag within bounds, or throws a CliError naming the flag. */
export function intFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new CliError(`--${name} must be an integer from ${min} to ${max} (got "${value}")`);
  }
  return parsed;
}
