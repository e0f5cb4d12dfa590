/**
 * `--capture [FILE]`: a flag whose value is optional, which node:util parseArgs cannot express.
 * `--capture` alone (or followed by another flag) turns live capture on; `--capture FILE` or
 * `--capture=FILE` also saves the pcap. The other arguments are returned for parseArgs.
 */
import { resolve } from 'node:path';
import { CliError } from './io';

export interface CaptureFlag {
  enabled: boolean;
  /** absolute path of the pcap to save, or null */
  file: string | null;
  rest: string[];
}

export function captureFlag(argv: string[]): CaptureFlag {
  const rest: string[] = [];
  let enabled = false;
  let file: string | null = null;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--capture') {
      if (enabled) throw new CliError('--capture given twice');
      enabled = true;
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('-')) {
        file = resolve(next);
        index += 1;
      }
    } else if (arg.startsWith('--capture=')) {
      if (enabled) throw new CliError('--capture given twice');
      enabled = true;
      const value = arg.slice('--capture='.length);
      if (value.length === 0) throw new CliError('--capture= needs a file name (or use --capture alone)');
      file = resolve(value);
    } else rest.push(arg);
  }
  return { enabled, file, rest };
}
