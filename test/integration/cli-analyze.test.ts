/**
 * `keepalive-lab analyze` end to end on real corpus files: the --json document, the human
 * summary, a cut-short file (success + warning) and the one-line failures.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { runAnalyzeCommand } from '../../src/cli/commands/analyze';
import { runCliCommand } from '../helpers/cli';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
const scratch = mkdtempSync(path.join(tmpdir(), 'cli-analyze-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (argv: string[]) => runCliCommand(runAnalyzeCommand, argv);

describe('keepalive-lab analyze', () => {
  it('--json gives streams and annotations that match tshark on a keep-alive capture', async () => {
    const file = path.join(CORPUS, 'ndpi__avast.pcap');
    const oracle = JSON.parse(readFileSync(`${file}.tshark.json`, 'utf8')) as { flags: { keep_alive: number[] }; streamCount: number };
    const { code, stdout } = await run([file, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as {
      format: string;
      linkTypes: string[];
      packets: number;
      streams: Array<{ stream: number; a: string; b: string; end: string; keepAlives: number; httpRequests: number }>;
      annotations: Array<{ frame: number; stream: number; flags: string[] }>;
    };
    expect(json.format).toBe('pcap');
    expect(json.linkTypes).toEqual(['ETHERNET']);
    expect(json.packets).toBe(142);
    expect(json.streams).toHaveLength(oracle.streamCount);
    expect(json.streams[0]).toMatchObject({ stream: 0, a: '192.168.2.100:64357', b: '5.62.54.29:80' });
    const keepAliveFrames = json.annotations
      .filter((annotation) => annotation.flags.includes('keep_alive'))
      .map((annotation) => annotation.frame);
    expect(keepAliveFrames).toEqual(oracle.flags.keep_alive);
  });

  it('prints a short human summary without --json', async () => {
    const { code, stdout } = await run([path.join(CORPUS, 'ndpi__ocsp.pcapng')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/pcapng, ETHERNET, 344 packets, 10 TCP streams/);
    expect(stdout).toMatch(/keep-alive probes 97, keep-alive ACKs 97, HTTP requests 18/);
  });

  it('says how many streams carried TLS and that their requests are not counted, as the app does, and --json marks each', async () => {
    // 55 = tshark's count of streams with a TLS record:
    // tshark -r ndpi__sites.pcapng -Y tls -T fields -e tcp.stream | sort -un | wc -l
    const TSHARK_TLS_STREAMS = 55;
    const file = path.join(CORPUS, 'ndpi__sites.pcapng');
    const text = await run([file]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    // right under the totals it qualifies: "HTTP requests 5" leaves out what TLS hid
    expect(lines[1]).toMatch(/HTTP requests 5,/);
    expect(lines[2]).toBe(
      `${TSHARK_TLS_STREAMS} TCP streams carried TLS: their HTTP requests travel encrypted, so they are not in the HTTP requests count; ` +
        'their handshakes are read in clear (full or resumed, version, server name: a line per TLS stream below, and streams[].tls in --json).',
    );
    // a line per TLS stream, the first 50, then a count of the rest
    expect(lines.filter((line) => /^ {2}stream \d+ .* → .*:443: /.test(line)).length).toBeGreaterThanOrEqual(50);
    expect(text.stdout).toContain(`… ${TSHARK_TLS_STREAMS - 50} more TLS or HTTP/2 streams (use --json)`);
    const json = JSON.parse((await run([file, '--json'])).stdout) as { streams: Array<{ tls?: { handshakes: number } }> };
    expect(json.streams.filter((stream) => stream.tls !== undefined)).toHaveLength(TSHARK_TLS_STREAMS);

    // one stream: the singular, and a capture without TLS says nothing of it
    const one = await run([path.join(CORPUS, 'ndpi__doh.pcapng')]);
    expect(one.stdout).toContain('1 TCP stream carried TLS: its HTTP requests travel encrypted');
    expect((await run([path.join(CORPUS, 'ndpi__ocsp.pcapng')])).stdout).not.toContain('carried TLS');
  });

  it('a file cut short is a success with a warning, every complete packet analysed', async () => {
    const whole = readFileSync(path.join(CORPUS, 'ndpi__avast.pcap'));
    const cut = path.join(scratch, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const { code, stdout } = await run([cut, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { packets: number; warnings: string[] };
    expect(json.packets).toBe(141);
    expect(json.warnings.join(' ')).toMatch(/cut short/);
  });

  it('a non-capture, an empty file and a missing file are one line and exit 1', async () => {
    const text = path.join(scratch, 'notes.txt');
    writeFileSync(text, 'this is not a capture at all\n');
    const empty = path.join(scratch, 'empty.pcap');
    writeFileSync(empty, '');
    for (const file of [text, empty, path.join(scratch, 'missing.pcap'), scratch]) {
      const { code, stderr, stdout } = await run([file]);
      expect(code, file).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), file).toHaveLength(1);
      expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });
});
