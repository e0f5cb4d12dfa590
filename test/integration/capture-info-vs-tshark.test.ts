/**
 * The packet list's Info column (src/main/engine/capture/packet-info.ts) against tshark's `_ws.col.Info`
 * on public captures: the same bracketed analysis words in the same order (keep-alive, keep-alive
 * ACK, zero-window probe and its ACK, retransmissions, dup ACK — tshark's "[TCP Dup ACK 12#3]"
 * counted as "[TCP Dup ACK]"), the same ports, TCP flags and relative Seq/Ack/Win/Len; and for a
 * packet that completes an HTTP request's header block, tshark's request line.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';
import { packetInfo } from '@engine/capture/packet-info';
import { StartLines } from '@engine/capture/start-lines';

const CORPUS = path.resolve(__dirname, '../../../shared/captures/public');
/** keep-alives and their ACKs, zero-window probes and ACKs, retransmissions of every kind, dup ACKs, lost segments */
const FILES = [
  'ndpi__ocsp.pcapng',
  'ndpi__nest_log_sink.pcap',
  'suricata__http-mime-truncated.pcap',
  'packets__tcp_zerowindowrecovery.pcapng',
  'packets__tcp_dupack.pcapng',
  'arkime__wireshark-retrans.pcap',
  'packets__http_espn_fail.pcapng',
  'suricata__transform-base64-7296.pcap',
];

/** tshark's Info per frame (one pass, default preferences, like the corpus oracle) */
function tsharkInfo(file: string): Map<number, string> {
  // tshark exits 2 on a file cut short in its last packet, after printing every whole one
  const out = spawnSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-e', '_ws.col.Info'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, WIRESHARK_CONFIG_DIR: '/nonexistent' },
  }).stdout.toString();
  const info = new Map<number, string>();
  for (const line of out.split('\n')) {
    const [frame, stream, text] = line.split('\t');
    if (frame && stream) info.set(Number(frame), text ?? '');
  }
  return info;
}

const BRACKETS = /^((?:\[[^\]]*\] )*)/;
/** "[TCP Dup ACK 12#3] " → "[TCP Dup ACK] " */
const words = (info: string) => (BRACKETS.exec(info)?.[1] ?? '').replace(/\[TCP Dup ACK \d+#\d+\]/g, '[TCP Dup ACK]').trim();
/** "54154 → 80 [ACK] Seq=1 Ack=1 Win=502 Len=0", without Wireshark's TCP options after Len and its reassembly note */
const TCP_FIELDS = /(\d+ → \d+ \[[A-Z, ]+\] Seq=\d+(?: Ack=\d+)? Win=\d+ Len=\d+)/;

describe('Info column against tshark', () => {
  for (const name of FILES) {
    it(
      name,
      async () => {
        const file = path.join(CORPUS, name);
        const analysis = await analyzeCaptureFile(file);
        const theirs = tsharkInfo(file);
        let compared = 0;
        let requests = 0;
        const kinds = new Set<string>();
        for (const [frame, their] of theirs) {
          const ours = packetInfo(analysis, frame - 1);
          expect(words(ours.info), `frame ${frame}: ${ours.info} | tshark: ${their}`).toBe(words(their));
          for (const word of words(their).match(/\[[^\]]+\]/g) ?? []) kinds.add(word);
          const theirFields = TCP_FIELDS.exec(their)?.[1];
          if (ours.http === null && theirFields !== undefined) {
            expect(TCP_FIELDS.exec(ours.info)?.[1], `frame ${frame}`).toBe(theirFields);
            compared += 1;
          }
          const requestLine = /^(?:\[[^\]]*\] )*([A-Z][A-Z-]* \S+ HTTP\/1\.[01])/.exec(their)?.[1];
          if (ours.http === 'request' && requestLine !== undefined) {
            expect(ours.info, `frame ${frame}`).toContain(requestLine);
            requests += 1;
          }
        }
        expect(compared).toBeGreaterThan(0);
        if (name === 'ndpi__ocsp.pcapng') {
          // tshark's OCSP dissector names the POSTs "Request": three GETs keep their request line
          expect(requests).toBe(3);
          expect(kinds).toEqual(new Set(['[TCP Keep-Alive]', '[TCP Keep-Alive ACK]']));
        }
      },
      60_000,
    );
  }

  it('past the HTTP first lines it keeps, shows the packet’s TCP fields and says why', async () => {
    const analysis = await analyzeCaptureFile(path.join(CORPUS, 'ndpi__ocsp.pcapng'));
    const kept = Array.from({ length: analysis.table.length }, (_, index) => packetInfo(analysis, index));
    const httpRows = kept.flatMap((row, index) => (row.http === null ? [] : [index]));
    expect(httpRows.length).toBeGreaterThan(1);
    // as if the capture had more HTTP messages than MAX_START_LINES_KEPT: none of these lines kept
    const past = { ...analysis, httpStartLines: new StartLines() };
    for (const index of httpRows) {
      const { info, http } = packetInfo(past, index);
      expect(http).toBe(kept[index]!.http);
      expect(info).toMatch(/^\d+ → \d+ \[[A-Z, ]+\] Seq=\d+ .* · first line shown for the first 100,000 HTTP messages only$/);
      expect(info).toContain(`Len=${analysis.table.payload[index]} ·`);
    }
  });

  it('covers the packet-type words the issue names', async () => {
    const seen = new Set<string>();
    for (const name of FILES)
      for (const info of tsharkInfo(path.join(CORPUS, name)).values())
        for (const word of words(info).match(/\[[^\]]+\]/g) ?? []) seen.add(word);
    for (const word of ['[TCP Keep-Alive]', '[TCP Keep-Alive ACK]', '[TCP ZeroWindowProbe]', '[TCP Retransmission]', '[TCP Dup ACK]'])
      expect(seen, word).toContain(word);
  }, 60_000);
});
