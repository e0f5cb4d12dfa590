/**
 * The "-i any duplicates" hint counts a packet recorded twice, checked against tshark. A copy is the
 * same IP packet seen on two interfaces: the same IP id, header, window and TCP timestamp, microseconds
 * apart. Before, the rule compared seq, ack, flags and length only, so the lab's own zero-window.pcap
 * (taken on lo, no copies) was told it had 2: an ACK and the window update right after it (frames 20/21,
 * 50/51) differ only in their window. A real "-i any" capture is made here: two network namespaces
 * joined by a bridge in a third, where tcpdump -i any sees each packet on both bridge ports.
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCaptureFile } from '@engine/capture/analyze';

const repo = resolve(__dirname, '../..');
/** the analyzer's window for a copy (analyze.ts DUPLICATE_WINDOW_SECONDS) */
const COPY_WITHIN_S = 0.001;

/** tshark's fields of every TCP frame, in the order the copies rule reads them. */
const COPY_FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'ip.id',
  'ip.src',
  'ipv6.src',
  'tcp.srcport',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.flags',
  'tcp.len',
  'tcp.window_size_value',
  'tcp.options.timestamp.tsval',
  'tcp.analysis.flags',
  'tcp.analysis.retransmission',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.window_update',
];

function copyFieldsArguments(file: string): string[] {
  // the last occurrence: the innermost IP header of a tunnelled packet, as the analysis reads it
  return ['-r', file, '-Y', 'tcp', '-T', 'fields', '-E', 'occurrence=l', ...COPY_FIELDS.flatMap((field) => ['-e', field])];
}

/** tshark's fields of every TCP frame: frames whose IP packet repeats the one before, within 1 ms, and how tshark flags them. */
function tsharkCopies(file: string): { copies: number[]; flaggedAs: string[] } {
  // spawnSync, not execFileSync: tshark prints every packet of a file cut short, then exits with 2
  return copiesIn(spawnSync('tshark', copyFieldsArguments(file), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout);
}

/** As tsharkCopies, without blocking: several files' tshark runs at once. */
function tsharkCopiesAsync(file: string): Promise<number> {
  return new Promise((resolveCount) => {
    execFile('tshark', copyFieldsArguments(file), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (_error, stdout) =>
      resolveCount(copiesIn(stdout).copies.length),
    );
  });
}

function copiesIn(out: string): { copies: number[]; flaggedAs: string[] } {
  const copies: number[] = [];
  const flaggedAs: string[] = [];
  let previous: { key: string; time: number } | null = null;
  // not trim(): it would cut the last line's empty trailing fields, and its key with them
  for (const line of out.split('\n').filter((text) => text.length > 0)) {
    const [frame, time, ...rest] = line.split('\t');
    const key = rest.slice(0, 10).join('|');
    if (previous && previous.key === key && Number(time) - previous.time < COPY_WITHIN_S) {
      copies.push(Number(frame));
      const [retransmission, duplicateAck] = rest.slice(11);
      flaggedAs.push(retransmission ? 'retransmission' : duplicateAck ? 'dup-ack' : 'none');
    }
    previous = { key, time: Number(time) };
  }
  return { copies, flaggedAs };
}

async function copiesHint(file: string): Promise<number> {
  const analysis = await analyzeCaptureFile(file);
  return analysis.hints.find((hint) => hint.code === 'duplicates')?.count ?? 0;
}

describe('the "-i any" copies hint, against tshark', () => {
  it('finds no copies in zero-window.pcap: its ACK then window update are two packets (tshark: a Window Update)', async () => {
    const file = join(repo, 'examples/captures/zero-window.pcap');
    expect(tsharkCopies(file).copies).toEqual([]);
    const updates = execFileSync('tshark', ['-r', file, '-Y', 'tcp.analysis.window_update', '-T', 'fields', '-e', 'frame.number'], {
      encoding: 'utf8',
    });
    expect(updates.trim().split('\n').map(Number)).toEqual([21, 51]);
    expect(await copiesHint(file)).toBe(0);
  });

  it('counts the copies of every public capture as tshark sees them (one taken on "-i any")', async () => {
    // the rule compared neither the IPv4 identification nor (reading no options but a SYN's) the TCP
    // timestamp: back-to-back duplicate ACKs counted as copies, 742 in zeek__gre-aruba.pcap, which holds none
    const dir = resolve(repo, '../shared/captures/public');
    // the captures tshark read packets from (the corpus also holds files both refuse)
    const names = readdirSync(dir)
      .filter((name) => name.endsWith('.tshark.json'))
      .filter((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { packets: number }).packets > 0)
      .map((name) => name.slice(0, -'.tshark.json'.length));
    expect(names.length).toBeGreaterThan(40);
    const counted: Record<string, number> = {};
    for (const name of names) {
      const file = join(dir, name);
      // tshark (a process of its own) runs while this thread analyses the same file
      const [ours, theirs] = await Promise.all([copiesHint(file), tsharkCopiesAsync(file)]);
      expect(ours, name).toBe(theirs);
      counted[name] = ours;
    }
    expect(counted).toMatchObject({ 'zeek__gre-aruba.pcap': 0, 'ndpi__ethereum.pcap': 222, 'ndpi__1kxun.pcap': 111 });
  }, 120_000);

  it('words each hint for one or many: "1 stream began … its", "2 streams began … their", "1 packet is … before it"', async () => {
    const hint = async (name: string, code: string) =>
      (await analyzeCaptureFile(resolve(repo, '../shared/captures/public', name))).hints.find((candidate) => candidate.code === code)
        ?.message;
    expect(await hint('gopacket__test_loopback.pcap', 'mid-connection')).toMatch(
      /^1 stream began before the capture \(no SYN seen\): its first/,
    );
    expect(await hint('ndpi__googledns_android10.pcap', 'mid-connection')).toMatch(
      /^2 streams began before the capture \(no SYN seen\): their first/,
    );
    expect(await hint('ndpi__avast.pcap', 'time-order')).toMatch(/^1 packet is stamped earlier than the packet before it:/);
    expect(await hint('ndpi__anydesk.pcapng', 'duplicates')).toMatch(/^1 packet appears twice within 1 ms/);
  });

  const canMakeNamespaces = process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
  const dir = mkdtemp(join(tmpdir(), 'kl-any-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it.runIf(canMakeNamespaces)(
    'counts every copy of a real "-i any" capture across a bridge, where tshark reports Dup ACKs and retransmissions',
    async () => {
      const file = join(await dir, 'bridge-any.pcap');
      const tag = `kl${process.pid % 100_000}`;
      const [a, b, c] = ['a', 'b', 'c'].map((side) => `${tag}${side}`) as [string, string, string];
      const ip = (...args: string[]) => execFileSync('ip', args);
      try {
        for (const ns of [a, b, c]) ip('netns', 'add', ns);
        ip('-n', c, 'link', 'add', 'br0', 'type', 'bridge');
        ip('-n', c, 'link', 'set', 'br0', 'up');
        for (const [ns, address] of [
          [a, '10.213.0.1/24'],
          [b, '10.213.0.2/24'],
        ] as const) {
          ip('link', 'add', 'v0', 'netns', ns, 'type', 'veth', 'peer', 'name', `p${ns.at(-1)}`, 'netns', c);
          ip('-n', c, 'link', 'set', `p${ns.at(-1)}`, 'master', 'br0');
          ip('-n', c, 'link', 'set', `p${ns.at(-1)}`, 'up');
          ip('-n', ns, 'addr', 'add', address, 'dev', 'v0');
          ip('-n', ns, 'link', 'set', 'v0', 'up');
        }
        const tcpdump = spawn(
          'ip',
          ['netns', 'exec', c, 'tcpdump', '-i', 'any', '-U', '--immediate-mode', '-B', '16384', '-w', file, 'tcp'],
          {
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        await new Promise<void>((ready, fail) => {
          const timer = setTimeout(() => fail(new Error('tcpdump did not start listening in 20 s')), 20_000);
          tcpdump.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && (clearTimeout(timer), ready()));
        });
        const server = spawn(
          'ip',
          [
            'netns',
            'exec',
            b,
            process.execPath,
            '-e',
            "const s=require('net').createServer(c=>{c.on('data',d=>c.write(d));c.on('end',()=>{c.end();s.close()})}).listen(8080,()=>console.log('up'))",
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        await new Promise((up) => server.stdout.once('data', up));
        // five echoes, then a clean close: SYNs, data, ACKs, FINs each cross both bridge ports
        execFileSync(
          'ip',
          [
            'netns',
            'exec',
            a,
            process.execPath,
            '-e',
            "const c=require('net').connect(8080,'10.213.0.2',()=>{let n=0;const go=()=>c.write('ping '+n);c.on('data',()=>{if(++n<5)go();else c.end()});go()})",
          ],
          { timeout: 20_000 },
        );
        await new Promise((exited) => server.once('exit', exited));
        // the last packets are written (-U) before tcpdump stops on SIGINT
        const stopped = new Promise((exited) => tcpdump.once('exit', exited));
        tcpdump.kill('SIGINT');
        await stopped;
      } finally {
        for (const ns of [a, b, c]) spawnSync('ip', ['netns', 'del', ns]);
      }
      const { copies, flaggedAs } = tsharkCopies(file);
      const frames = Number(execFileSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }).match(/(\d+)\s*$/)?.[1]);
      expect(copies.length).toBe(frames / 2); // every packet twice
      expect(new Set(flaggedAs)).toEqual(new Set(['retransmission', 'dup-ack'])); // what Wireshark reports for the copies
      expect(await copiesHint(file)).toBe(copies.length);
    },
  );
});
