import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureFlag } from '../../../src/cli/capture-flag';
import { CliError } from '../../../src/cli/io';

describe('--capture [FILE]', () => {
  it('is off when absent and leaves the other flags alone', () => {
    expect(captureFlag(['--requests', '3', '--json'])).toEqual({ enabled: false, file: null, rest: ['--requests', '3', '--json'] });
  });

  it('alone, or followed by another flag, turns capture on without a file', () => {
    expect(captureFlag(['--capture'])).toEqual({ enabled: true, file: null, rest: [] });
    expect(captureFlag(['--capture', '--json'])).toEqual({ enabled: true, file: null, rest: ['--json'] });
  });

  it('takes a following file name or --capture=FILE, as an absolute path', () => {
    expect(captureFlag(['--capture', 'run.pcap', '--json'])).toEqual({ enabled: true, file: resolve('run.pcap'), rest: ['--json'] });
    expect(captureFlag(['--capture=/tmp/x.pcap'])).toEqual({ enabled: true, file: '/tmp/x.pcap', rest: [] });
  });

  it('refuses it twice and an empty =', () => {
    expect(() => captureFlag(['--capture', '--capture'])).toThrow(CliError);
    expect(() => captureFlag(['--capture='])).toThrow(/needs a file name/);
  });
});
