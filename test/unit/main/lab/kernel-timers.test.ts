import { describe, expect, it } from 'vitest';
import { decodeProcAddress, parseProcNetTcpLine, parseSsDuration, parseSsOutput } from '@engine/lab/kernel-timers';

describe('/proc/net/tcp lines', () => {
  it('decodes little-endian IPv4 and IPv6 addresses', () => {
    expect(decodeProcAddress('0100007F:1F90')).toBe('127.0.0.1:8080');
    expect(decodeProcAddress('00000000000000000000000001000000:0050')).toBe('[0:0:0:0:0:0:0:1]:80');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F:0016')).toBe('[::ffff:127.0.0.1]:22');
  });

  it('reads state, keepalive timer (in 10 ms ticks), retransmits and inode', () => {
    // a real line shape: sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    const line =
      '   3: 0100007F:D4E2 0100007F:A8FF 01 00000000:00000000 02:0000005A 00000000     0        0 15533 1 0000000000000000 20 4 30 10 -1';
    expect(parseProcNetTcpLine(line)).toEqual({
      state: 'ESTAB',
      local: '127.0.0.1:54498',
      remote: '127.0.0.1:43263',
      timer: 'keepalive',
      nextMs: 900,
      probes: 0,
      inode: 15533,
      source: 'proc',
    });
  });

  it('knows TIME_WAIT, zero-window probe and no timer; skips the header', () => {
    const row = (tr: string, st: string) =>
      parseProcNetTcpLine(`0: 0100007F:0050 0100007F:0051 ${st} 00000000:00000000 ${tr}:00000064 00000003 0 0 0 1`);
    expect(row('03', '06')).toMatchObject({ state: 'TIME-WAIT', timer: 'time-wait', nextMs: 1000, probes: 3 });
    expect(row('04', '01')).toMatchObject({ timer: 'zero-window-probe' });
    expect(row('00', '0A')).toMatchObject({ state: 'LISTEN', timer: 'off', nextMs: null });
    expect(
      parseProcNetTcpLine('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'),
    ).toBeNull();
  });
});

describe('ss output', () => {
  it('parses ss timer durations, including its "1.500ms" spelling of 1.5 s', () => {
    expect(parseSsDuration('956ms')).toBe(956);
    expect(parseSsDuration('28sec')).toBe(28_000);
    expect(parseSsDuration('1.500ms')).toBe(1500);
    expect(parseSsDuration('2min30sec')).toBe(150_000);
    expect(parseSsDuration('12min')).toBe(720_000);
    expect(parseSsDuration('soon')).toBeNull();
  });

  it('reads state, endpoints, timer kind, probes and inode; ignores detail lines', () => {
    const text = [
      'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process',
      'ESTAB      0      0          127.0.0.1:51330    127.0.0.1:43199 timer:(keepalive,28sec,3) ino:15533 sk:1 cgroup:/ <->',
      '\t ts sack bbr wscale:10,10 rto:204 rtt:0.161/0.08 mss:32741',
      'TIME-WAIT  0      0          127.0.0.1:40000    127.0.0.1:80    timer:(timewait,59sec,0) ino:0 sk:2',
      'FIN-WAIT-1 0      1      [::1]:5000    [::1]:6000 timer:(on,200ms,2) ino:99 sk:3',
      'ESTAB      0      0          127.0.0.1:1    127.0.0.1:2 ino:7 sk:4',
    ].join('\n');
    expect(parseSsOutput(text)).toEqual([
      {
        state: 'ESTAB',
        local: '127.0.0.1:51330',
        remote: '127.0.0.1:43199',
        timer: 'keepalive',
        nextMs: 28_000,
        probes: 3,
        inode: 15533,
        source: 'ss',
      },
      {
        state: 'TIME-WAIT',
        local: '127.0.0.1:40000',
        remote: '127.0.0.1:80',
        timer: 'time-wait',
        nextMs: 59_000,
        probes: 0,
        inode: 0,
        source: 'ss',
      },
      {
        state: 'FIN-WAIT-1',
        local: '[::1]:5000',
        remote: '[::1]:6000',
        timer: 'retransmit',
        nextMs: 200,
        probes: 2,
        inode: 99,
        source: 'ss',
      },
      { state: 'ESTAB', local: '127.0.0.1:1', remote: '127.0.0.1:2', timer: 'off', nextMs: null, probes: 0, inode: 7, source: 'ss' },
    ]);
  });
});
